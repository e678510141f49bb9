"""empathy-cues: spot customers who struggle, tag the ticket, suggest an empathetic reply."""
