"""install / uninstall / status through a helpdesk's adapter (``adapter.AdminAdapter``).

The runner owns the order of work: render the manifests, find what exists (stored id, else marker),
plan, print the plan, and - unless it is a dry run - apply it: creates and updates in manifest order
(webhooks first, so triggers can point at their id), then removals, then the webhook secret.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..policy_file import PluginConfig
from .adapter import AdminAdapter
from .manifest import Desired, render, resolve_refs
from .plan import CREATE, EDITED, MANUAL, REMOVE, UNCHANGED, UPDATE, Step, plan_step, render_plan, summary
from .state import InstallState, read_secret, secret_path, write_secret

PENDING = "<id after create>"


# `status` exit codes, one per verdict, so scripts and monitoring can tell the causes apart.
STATUS_EXIT = {"working": 0, "not_working": 1, "wrong_secret": 3, "stale_clock": 4}


@dataclass
class Outcome:
    steps: list[Step]
    lines: list[str] = field(default_factory=list)
    exit_code: int = 0

    def text(self) -> str:
        return "\n".join(self.lines)


class Runner:
    def __init__(self, adapter: AdminAdapter, config: PluginConfig, data_dir: Path, *, endpoint: str,
                 echo: Callable[[str], None] = print) -> None:
        self.adapter, self.config, self.data_dir = adapter, config, Path(data_dir)
        self.endpoint = endpoint.rstrip("/")
        self.helpdesk = adapter.helpdesk
        self.state = InstallState.load(self.data_dir, self.helpdesk)
        self.echo = echo
        self._lists: dict[str, list[dict]] = {}

    # -- planning ----------------------------------------------------------------------------------

    def desired(self) -> list[Desired]:
        return render(self.helpdesk, self.config, endpoint=self.endpoint, has_sla=self.adapter.has_sla(),
                      secret_file=str(secret_path(self.data_dir, self.helpdesk)))

    def _listing(self, kind: str) -> list[dict]:
        if kind not in self._lists:
            self._lists[kind] = self.adapter.list(kind)
        return self._lists[kind]

    def find(self, kind: str, ident: str) -> dict | None:
        stored = self.state.objects.get(ident)
        if stored is not None:
            found = self.adapter.get(kind, stored["id"])
            if found is not None:
                return found
        return next((o for o in self._listing(kind) if self.adapter.has_marker(kind, ident, o)), None)

    def _ref(self, ids: dict[str, Any]) -> Callable[[str], Any]:
        return lambda ident: ids.get(ident, PENDING)

    def plan(self, *, force: bool = False) -> tuple[list[Step], dict[str, Any]]:
        steps: list[Step] = []
        ids: dict[str, Any] = {}
        wanted = [w for w in self.desired() if self.adapter.manages(w.kind)]
        for want in wanted:
            existing = self.find(want.kind, want.ident)
            if existing is not None:
                ids[want.ident] = existing.get("id")
            body = self.adapter.mark(want.kind, want.ident, resolve_refs(want.body, self._ref(ids)))
            want_cmp = self.adapter.comparable(want.kind, body, body)
            cur_cmp = self.adapter.comparable(want.kind, existing, body) if existing is not None else None
            step = plan_step(want, want_cmp, self.adapter.title(want.kind, want.body), existing, cur_cmp,
                             self.state.objects.get(want.ident), force=force)
            steps.append(step)
        wanted_idents = {w.ident for w in wanted}
        for ident, stored in sorted(self.state.objects.items()):
            if ident not in wanted_idents:
                kind, key = ident.split(".", 1)
                if self.adapter.get(kind, stored["id"]) is not None:
                    steps.append(Step(REMOVE, kind, key, "no longer in the manifests", stored["id"]))
                else:
                    self.state.forget(ident)
        steps += self.adapter.manual_steps(self)
        return steps, ids

    # -- commands ----------------------------------------------------------------------------------

    def install(self, *, dry_run: bool, force: bool = False) -> Outcome:
        steps, ids = self.plan(force=force)
        out = Outcome(steps)
        head = "Dry run - nothing will be changed." if dry_run else "Plan:"
        out.lines += [f"empathy-cues install {self.helpdesk} -> {self.endpoint}", head, render_plan(steps),
                      f"Summary: {summary(steps)}"]
        out.lines += self.adapter.instructions(self)
        if dry_run:
            return out
        for step in steps:
            if step.op in (CREATE, UPDATE):
                body = self.adapter.mark(step.kind, step.ident, resolve_refs(step.desired.body, self._ref(ids)))
                if step.op == CREATE:
                    result = self.adapter.create(step.kind, body)
                else:
                    result = self.adapter.update(step.kind, step.object_id, body)
                ids[step.ident] = result.get("id")
                self.state.record(step.ident, step.kind, result.get("id"),
                                  self.adapter.comparable(step.kind, result, body))
            elif step.op == REMOVE:
                self.adapter.delete(step.kind, step.object_id)
                self.state.forget(step.ident)
            elif step.op == UNCHANGED and step.ident not in self.state.objects:
                # Found by its marker after the state file was lost: adopt it.
                existing = self.find(step.kind, step.ident) or {}
                body = self.adapter.mark(step.kind, step.ident, resolve_refs(step.desired.body, self._ref(ids)))
                self.state.record(step.ident, step.kind, step.object_id, self.adapter.comparable(step.kind, existing, body))
        self.state.endpoint = self.endpoint
        self.state.save()
        out.lines += self._secret(ids)
        edited = [s for s in steps if s.op == EDITED]
        if edited:
            out.lines.append(f"{len(edited)} object(s) were edited in {self.helpdesk} and left as they are; "
                             "re-run with --force to overwrite them.")
        out.lines.append(f"Installed. State: {self.state.path}")
        return out

    def uninstall(self, *, dry_run: bool) -> Outcome:
        steps = [Step(REMOVE, kind, ident.split(".", 1)[1], "", object_id)
                 for ident, (kind, object_id) in self._removal_targets().items()]
        # Triggers point at the webhook: delete them first, the webhook last.
        steps.sort(key=lambda s: s.kind == "webhooks")
        out = Outcome(steps, [f"empathy-cues uninstall {self.helpdesk}",
                              "Dry run - nothing will be changed." if dry_run else "Removing:",
                              render_plan(steps) or "  (nothing installed)"])
        if dry_run:
            return out
        removed = 0
        for step in steps:
            if self.adapter.can_delete(step.kind):
                self.adapter.delete(step.kind, step.object_id)
                self.state.forget(step.ident)
                removed += 1
        by_hand = self.adapter.manual_removal(self)
        out.lines += by_hand
        self.state.save()
        path = secret_path(self.data_dir, self.helpdesk)
        if path.exists() and not self.state.objects:
            path.unlink()
        # Say what was done, not "Removed." when the API could remove nothing (Freshdesk).
        out.lines.append(f"Removed {removed} object(s) through the {self.helpdesk} API."
                         + (f" {len(by_hand) - 1} must be removed by hand (listed above)." if len(by_hand) > 1 else ""))
        return out

    def _removal_targets(self) -> dict[str, tuple[str, Any]]:
        """What uninstall removes: every object the install state names, and any object of ours (found by
        its marker) that the state lost, of every kind the API can delete."""
        targets: dict[str, tuple[str, Any]] = {ident: (stored["kind"], stored["id"])
                                               for ident, stored in self.state.objects.items()}
        for want in render(self.helpdesk, self.config, endpoint=self.endpoint, has_sla=True) + \
                render(self.helpdesk, self.config, endpoint=self.endpoint, has_sla=False):
            if want.ident not in targets and self.adapter.can_delete(want.kind) and self.adapter.manages(want.kind):
                found = next((o for o in self._listing(want.kind)
                              if self.adapter.has_marker(want.kind, want.ident, o)), None)
                if found is not None:
                    targets[want.ident] = (want.kind, found.get("id"))
        return targets

    def status(self) -> Outcome:
        steps, ids = self.plan()
        installed = [s for s in steps if s.op in (UNCHANGED, UPDATE, EDITED)]
        state_word = {UNCHANGED: "installed", UPDATE: "outdated", EDITED: "edited", CREATE: "missing",
                      REMOVE: "extra", MANUAL: "by hand"}
        lines = [f"empathy-cues status {self.helpdesk} ({self.endpoint})"]
        width = max((len(s.ident) for s in steps), default=10)
        for s in steps:
            lines.append(f"  {state_word[s.op]:<9} {s.ident:<{width}}  {s.title}" + (f" - {s.note}" if s.note else ""))
        wanted = len([s for s in steps if s.op != MANUAL])
        lines.append(f"{len(installed)} of {wanted} objects installed.")
        verdict, said = self.adapter.check_webhook(self, ids)
        lines += said
        code = STATUS_EXIT[verdict]
        if code == 0 and len(installed) < wanted:
            lines.append("Not complete: run `empathy-cues install` to create what is missing.")
            code = 1
        return Outcome(steps, lines, code)

    # -- secret ------------------------------------------------------------------------------------

    def _secret(self, ids: dict[str, Any]) -> list[str]:
        stored = read_secret(self.data_dir, self.helpdesk)
        secret = self.adapter.webhook_secret(ids, stored)
        if secret is None:
            return []
        if secret.value != stored:
            write_secret(self.data_dir, self.helpdesk, secret.value)
        path = secret_path(self.data_dir, self.helpdesk)
        return [f"{secret.description} stored in {path} (mode 0600); the server reads {'them' if secret.several else 'it'} "
                f"through {self.adapter.secret_variable}_FILE={path}"]
