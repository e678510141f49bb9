// Serverless Freshdesk app: forwards new tickets and new conversations to the empathy-cues server
// through the request template (the secret never leaves Freshworks' side).
function send(kind, ticketId) {
  return $request.invokeTemplate("empathyWebhook", {
    body: JSON.stringify({ ticket_id: String(ticketId), kind: kind, event: "app " + kind })
  });
}

exports = {
  onTicketCreateHandler: function (args) {
    return send("created", args.data.ticket.id);
  },
  onConversationCreateHandler: function (args) {
    var c = args.data.conversation;
    if (c.private || !c.incoming) { return; }   // only public customer replies, never our own notes
    return send("comment_added", c.ticket_id);
  }
};
