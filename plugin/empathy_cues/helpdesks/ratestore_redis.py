"""``RedisRateStore``: the outbound rate limiter's state in Redis, shared by every worker on every host.

Each operation is one Lua script, which Redis runs atomically ("no other script or command runs while a
script is running", https://redis.io/docs/latest/develop/interact/programmability/eval-intro/), so two
workers can never both take the last slot. Time comes from the Redis server (``TIME``), not from each
host's clock, so hosts with skewed clocks still share one schedule. Since Redis 5 scripts are
replicated by their effects, which is what allows ``TIME`` before a write.
"""
from __future__ import annotations

# KEYS[1] = the budget's key; ARGV = interval, burst, max_wait, ttl (seconds). Same step as ratelimit.gcra.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval, burst, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - (burst - 1) * interval - now
if wait < 0.000001 then wait = 0 end
if wait > max_wait then return {0, tostring(wait)} end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.6f', tat), 'PX', math.ceil((tat - now + tonumber(ARGV[4])) * 1000))
return {1, tostring(wait)}
"""

# KEYS[1] = the account's block key; ARGV[1] = until (epoch seconds). Never shortens a longer block.
_BLOCK = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local untill = tonumber(ARGV[1])
if untill > current then
  local t = redis.call('TIME')
  local ms = math.ceil((untill - tonumber(t[1])) * 1000) + 1000
  if ms < 1000 then ms = 1000 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ms)
end
return 1
"""


class RedisRateStore:
    """``RateStore`` on Redis. ``client`` is a ``redis.Redis``; keys live under ``prefix``."""

    def __init__(self, client, *, prefix: str = "empathy-cues:rate") -> None:
        self.redis = client
        self.prefix = prefix
        self._reserve = client.register_script(_RESERVE)
        self._block = client.register_script(_BLOCK)

    @classmethod
    def from_url(cls, url: str, **kwargs) -> "RedisRateStore":
        import redis

        return cls(redis.Redis.from_url(url), **kwargs)

    def reserve(self, key: str, interval: float, burst: int, max_wait: float, ttl: float) -> tuple[bool, float]:
        reserved, wait = self._reserve(keys=[f"{self.prefix}:tat:{key}"], args=[interval, burst, max_wait, ttl])
        return bool(int(reserved)), float(wait)

    def blocked_until(self, account: str) -> float:
        raw = self.redis.get(f"{self.prefix}:block:{account}")
        return float(raw) if raw else 0.0

    def block(self, account: str, until: float) -> None:
        self._block(keys=[f"{self.prefix}:block:{account}"], args=[repr(float(until))])
