"""An Altinn app instance as the client reads it, and the app's answers about one."""

import re
from dataclasses import dataclass

from .altinn_http import AltinnError, json_or_none

# app-lib's ProcessEngine refusal: "... Task ID: Task_1. Task type: data. Action: none."
_REFUSAL = re.compile(
    r"Task ID: (?P<task_id>[^.]*)\. Task type: (?P<task_type>[^.]*)\. "
    r"Action: (?P<action>[^.]*)\."
)


@dataclass(frozen=True)
class AltinnInstance:
    """An app instance document as Altinn returns it, with the lookups callers need. The
    step is read from ``altinnTaskType`` (``data``, ``signing``) and ``process.ended``: the
    task names are BRG's own and not published."""

    raw: dict

    @property
    def id(self):
        return self.raw["id"]

    @property
    def party_id(self):
        return self.id.split("/")[0]

    @property
    def task_type(self):
        return ((self.raw.get("process") or {}).get("currentTask") or {}).get("altinnTaskType")

    @property
    def ended(self):
        return (self.raw.get("process") or {}).get("ended")

    @property
    def archived(self):
        return bool((self.raw.get("status") or {}).get("isArchived"))

    @property
    def deleted(self):
        status = self.raw.get("status") or {}
        return bool(status.get("isSoftDeleted") or status.get("isHardDeleted"))

    @property
    def signed(self):
        """Signed and submitted: the process ended, the instance archived."""
        return bool(self.ended or self.archived)

    @property
    def filling(self):
        return not self.signed and not self.deleted and self.task_type == "data"

    @property
    def awaiting_signature(self):
        return not self.signed and not self.deleted and self.task_type == "signing"

    def elements(self, data_type):
        return [d for d in self.raw.get("data") or [] if d.get("dataType") == data_type]

    def element_id(self, data_type):
        found = self.elements(data_type)
        return found[0]["id"] if found else None


def refusal_of(response):
    """``{"action", "task_type", "task_id"}`` of app-lib's 403 on process/next, else {}."""
    if response.status_code != 403:
        return {}
    body = json_or_none(response)
    found = _REFUSAL.search(str((body or {}).get("detail") if isinstance(body, dict) else ""))
    if not found:
        return {"action": None, "task_type": None, "task_id": None}
    return found.groupdict()


def signed_error(instance):
    return AltinnError(
        "instance_signed",
        "The filing has been signed in Altinn: it is filed and cannot be deleted.",
        {"instance": instance.id},
        {"instance": instance.id},
    )


def new_element(answer, what):
    """The new data element of app-lib's answer: a ``DataPostResponse`` (200:
    ``newDataElementId`` and the ``instance``) or a data element (201)."""
    if "newDataElementId" not in answer:
        return answer
    wanted = str(answer["newDataElementId"])
    for element in (answer.get("instance") or {}).get("data") or []:
        if element.get("id") == wanted:
            return element
    raise AltinnError("bad_response", f"{what}: the new element is not in the answer.", {})
