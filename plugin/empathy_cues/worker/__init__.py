"""The queue worker: its runtime (clients, policy, journal), the draft of one message (analysis, note,
write plan), the task that applies it exactly once in effect, and the retry policy."""
