"""The scale-out state backend: the same contract as the SQLite one on Redis, so several web and worker
hosts share one memory (the contract is :class:`~empathy_cues.durable.contract.Store`)."""
from __future__ import annotations

import json
import time
from typing import Callable, Iterable

from .contract import DONE_TTL, SEEN_TTL, WORDS_TTL, DeadLetter


class RedisStore:
    """The same contract on Redis, so several web and worker hosts share one memory."""

    # Check every key, then set them all: one atomic step on the server.
    _CLAIM = """
    for i, key in ipairs(KEYS) do
      if i < #KEYS and redis.call('exists', key) == 1 then return 0 end
    end
    for i, key in ipairs(KEYS) do
      if i < #KEYS then redis.call('set', key, '1', 'EX', ARGV[1]) end
    end
    redis.call('hset', KEYS[#KEYS], ARGV[2], ARGV[3])
    return 1
    """

    # claim_words on the server, in one step: the value is "<received_at> <holder key>". The rule is
    # core/same_words.same_message: the holder keeps the words while the two were received within the
    # window (ARGV[3]); otherwise, or when the holder asks again, they are this event's.
    _CLAIM_WORDS = """
    local raw = redis.call('get', KEYS[1])
    if raw then
      local space = string.find(raw, ' ', 1, true)
      local holder = string.sub(raw, space + 1)
      if holder == ARGV[1] then return false end
      if math.abs(tonumber(ARGV[2]) - tonumber(string.sub(raw, 1, space - 1))) <= tonumber(ARGV[3]) then
        return holder
      end
    end
    redis.call('set', KEYS[1], ARGV[2] .. ' ' .. ARGV[1], 'EX', ARGV[4])
    return false
    """

    def __init__(self, url: str, *, prefix: str = "empathy-cues") -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix
        self._claim = self.redis.register_script(self._CLAIM)
        self._claim_words = self.redis.register_script(self._CLAIM_WORDS)

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def claim(self, keys: Iterable[str], pending_key: str, event: dict) -> bool:
        return self.claim_many([(list(keys), pending_key, event)])[0]

    def purge_expired(self) -> int:
        """Nothing to do: Redis drops seen, done and lease keys itself (each is set with an expiry)."""
        return 0

    def checkpoint(self) -> None:
        """Nothing to do: Redis keeps no WAL with old copies of deleted rows."""

    def claim_many(self, items: list[tuple[list[str], str, dict]]) -> list[bool]:
        """``claim`` for a batch in one round trip: a pipeline of the atomic claim script, in order, so a
        key claimed earlier in the batch is seen by the later ones."""
        pipe = self.redis.pipeline(transaction=False)
        now = time.time()
        for keys, pending_key, event in items:
            seen = [self._k("seen", k) for k in dict.fromkeys(keys)]
            record = json.dumps({"event": event, "created_at": now, "next_attempt_at": now})
            self._claim(keys=[*seen, self._k("pending")], args=[SEEN_TTL, pending_key, record], client=pipe)
        return [bool(r) for r in pipe.execute()]

    def release(self, keys: Iterable[str], pending_key: str) -> None:
        pipe = self.redis.pipeline()
        for k in keys:
            pipe.delete(self._k("seen", k))
        pipe.hdel(self._k("pending"), pending_key)
        pipe.execute()

    def is_done(self, key: str) -> bool:
        return bool(self.redis.exists(self._k("done", key)))

    def finish(self, key: str) -> None:
        pipe = self.redis.pipeline()
        pipe.set(self._k("done", key), "1", ex=DONE_TTL)
        pipe.hdel(self._k("pending"), key)
        pipe.delete(self._k("lease", key))
        pipe.execute()

    def schedule(self, key: str, next_attempt_at: float) -> None:
        raw = self.redis.hget(self._k("pending"), key)
        if raw:
            record = json.loads(raw)
            record["next_attempt_at"] = next_attempt_at
            self.redis.hset(self._k("pending"), key, json.dumps(record))
        self.redis.delete(self._k("lease", key))

    def stale_pending(self, older_than: float) -> list[dict]:
        records = [json.loads(v) for v in self.redis.hgetall(self._k("pending")).values()]
        records = [r for r in records if r.get("next_attempt_at", 0) < older_than]
        return [r["event"] for r in sorted(records, key=lambda r: r.get("created_at", 0))]

    def _watched(self, keys: list[str], body):
        """Run ``body(pipe)`` under WATCH until no watched key changed meanwhile (optimistic transaction,
        https://redis.io/docs/latest/develop/interact/transactions/#optimistic-locking-using-check-and-set)."""
        import redis

        with self.redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(*keys)
                    return body(pipe)
                except redis.WatchError:
                    continue

    def begin_attempt(self, key: str, event: dict, lease_seconds: float, owner: str | None = None) -> str:
        if self.redis.exists(self._k("done", key)):
            return "done"
        # SET NX PX: one lease holder at a time, released by finish/schedule/add_dead_letter, by expiry, or
        # by take_orphaned when its owner (the value) is gone.
        if not self.redis.set(self._k("lease", key), owner or "1", nx=True, px=max(1, int(lease_seconds * 1000))):
            return "busy"
        pending = self._k("pending")
        raw = self.redis.hget(pending, key)
        now = time.time()
        record = json.loads(raw) if raw else {"event": event, "created_at": now}
        record["next_attempt_at"] = now
        self.redis.hset(pending, key, json.dumps(record))
        return "ok"

    # Delete the lease only if it still names that owner (a compare-and-delete, atomic on the server).
    _RELEASE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

    def heartbeat(self, owner: str, seconds: float) -> None:
        """This worker is alive for ``seconds`` more (owners.py); a lease whose owner stops beating is
        taken back by the next worker that looks."""
        self.redis.set(self._k("owner", owner), "1", px=max(1, int(seconds * 1000)))

    def take_orphaned(self, gone: Callable[[str], bool]) -> list[dict]:
        """Events whose lease holder is gone, judged by its expired heartbeat only: Redis workers may run
        in containers whose host names and pids overlap, so the local process table (``gone``, used by
        the single-host SQLite store) cannot speak for them. Each lease is ended with a compare-and-delete,
        so exactly one worker takes it back."""
        taken = []
        prefix = self._k("lease", "")
        for lease_key in self.redis.scan_iter(match=prefix + "*", count=500):
            owner = self.redis.get(lease_key)
            if not owner or owner == b"1":
                continue
            owner = owner.decode()
            if self.redis.exists(self._k("owner", owner)):
                continue
            if not self.redis.eval(self._RELEASE_IF, 1, lease_key, owner):
                continue
            key = lease_key.decode()[len(prefix):]
            raw = self.redis.hget(self._k("pending"), key)
            if raw:
                record = json.loads(raw)
                self.redis.hset(self._k("pending"), key, json.dumps({**record, "next_attempt_at": time.time()}))
                taken.append(record["event"])
        return taken

    def take_stale(self, older_than: float) -> list[dict]:
        pending = self._k("pending")

        def body(pipe) -> list[dict]:
            now = time.time()
            stale = {}
            for k, v in pipe.hgetall(pending).items():
                record = json.loads(v)
                if record.get("next_attempt_at", 0) < older_than:
                    stale[k] = record
            pipe.multi()
            for k, record in stale.items():
                pipe.hset(pending, k, json.dumps({**record, "next_attempt_at": now}))
            pipe.execute()
            return [r["event"] for r in sorted(stale.values(), key=lambda r: r.get("created_at", 0))]

        return self._watched([pending], body)

    def claim_words(self, words_key: str, key: str, received_at: float, window: float) -> str | None:
        """The SQLite store's claim_words, atomic on the server (a Lua script) for workers on many hosts."""
        holder = self._claim_words(keys=[self._k(words_key)], args=[key, repr(float(received_at)), repr(float(window)),
                                                                      WORDS_TTL])
        return holder.decode() if holder is not None else None

    def add_dead_letter(self, key: str, event: dict, reason: str) -> str:
        letter_id = str(self.redis.incr(self._k("dead", "next-id")))
        record = {"key": key, "helpdesk": str(event.get("helpdesk", "")), "ticket_id": str(event.get("ticket_id", "")),
                  "reason": reason, "event": event, "created_at": time.time()}
        pipe = self.redis.pipeline()
        pipe.hset(self._k("dead"), letter_id, json.dumps(record))
        pipe.hdel(self._k("pending"), key)
        pipe.delete(self._k("lease", key))
        pipe.execute()
        return letter_id

    def _letter(self, letter_id: str, raw: bytes) -> DeadLetter:
        r = json.loads(raw)
        return DeadLetter(id=letter_id, key=r["key"], helpdesk=r["helpdesk"], ticket_id=r["ticket_id"],
                          reason=r["reason"], event=r["event"], created_at=r["created_at"])

    def dead_letters(self) -> list[DeadLetter]:
        items = self.redis.hgetall(self._k("dead"))
        letters = [self._letter(k.decode(), v) for k, v in items.items()]
        return sorted(letters, key=lambda d: int(d.id))

    def dead_letter(self, letter_id: str) -> DeadLetter | None:
        raw = self.redis.hget(self._k("dead"), str(letter_id))
        return self._letter(str(letter_id), raw) if raw else None

    def delete_dead_letter(self, letter_id: str) -> bool:
        return bool(self.redis.hdel(self._k("dead"), str(letter_id)))

    def purge_dead_letters(self) -> int:
        count = self.redis.hlen(self._k("dead"))
        self.redis.delete(self._k("dead"))
        return count
