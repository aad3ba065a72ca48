"""Verbs that read the audit log and check the whole file."""

from __future__ import annotations

from datetime import datetime

from core.accounts import Action
from core.store import audit, rows
from core.store.records import (
    AuditCheck,
    AuditEntry,
    DataCheck,
)
from core.store.verbs.base import StoreBase, requires


class AuditVerbs(StoreBase):
    """The audit log's chain check and entries, the data check against the log; SQLite's integrity check."""

    # -- audit ------------------------------------------------------------------------------------

    @requires(Action.VERIFY)
    def verify_audit(self) -> AuditCheck:
        """Check the audit log's hash chain; names the first row that was changed or removed."""
        return audit.verify(self.conn)

    @requires(Action.VERIFY)
    def verify_data(self) -> DataCheck:
        """Replay the audit log and compare every audited record with the file: names the records
        changed, deleted or added outside the program (``core.store.data_check``)."""
        from core.store import data_check  # late: only `superbill verify` and the settings' check need it

        return data_check.verify_data(self.conn)

    @requires(Action.VERIFY)
    def audit_entries(self, entity: str | None = None, entity_id: object = None) -> list[AuditEntry]:
        """The audit log (optionally of one entity, e.g. ``("encounter", 12)``), oldest first."""
        where, params = "1", []
        if entity is not None:
            where, params = "entity = ?", [entity]
            if entity_id is not None:
                where += " AND entity_id = ?"
                params.append(str(entity_id))
        return [
            rows.record_from(AuditEntry, r, at=datetime.fromisoformat(r["at"]))
            for r in self._query(f"SELECT * FROM audit_log WHERE {where} ORDER BY id", params)
        ]

    @requires(Action.VERIFY)
    def integrity_problems(self) -> list[str]:
        """SQLite's full integrity check of the open file; an empty list means it is sound."""
        found = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")]
        return [] if found == ["ok"] else found
