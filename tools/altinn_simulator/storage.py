"""Altinn Storage's instance query (Altinn/altinn-storage ``InstancesController.GetInstances``):
a system user names the owner by organisation number in the ``X-Ai-InstanceOwnerIdentifier``
header, so no party id is needed."""

from werkzeug.routing import Rule

from .brg_app import acting_orgnr
from .http import json_response, text_response
from .maskinporten import require_token

PATH = "/platform/storage/api/v1/instances"
OWNER_HEADER = "X-Ai-InstanceOwnerIdentifier"
FLAGS = {"status.isArchived": "isArchived", "status.isSoftDeleted": "isSoftDeleted"}


def instances_query(sim, request):
    claims = require_token(sim, request, "altinn", "altinn:instances.read")
    identifier = request.headers.get(OWNER_HEADER, "").replace(" ", "").lower()
    if identifier and request.args.get("instanceOwner.partyId"):
        return text_response(
            "Both InstanceOwner.PartyId and InstanceOwnerIdentifier cannot be present at the "
            "same time.",
            400,
        )
    kind, _sep, number = identifier.partition(":")
    if not identifier:
        return text_response(
            "Either InstanceOwnerPartyId or InstanceOwnerIdentifier need to be defined.", 400
        )
    if kind != "organisation" or not (number.isdigit() and len(number) == 9):
        return text_response("Organization number needs to be exactly 9 digits.", 400)
    with sim.state.lock:
        found = [
            inst.doc
            for inst in sim.state.instances.values()
            if inst.orgnr == number
            and number == acting_orgnr(claims)  # read access: the system user's own org only
            and inst.doc["appId"] == request.args.get("appId", inst.doc["appId"])
            and all(
                str(inst.doc["status"][flag]).lower() == request.args[name]
                for name, flag in FLAGS.items()
                if name in request.args
            )
        ]
    found.sort(key=lambda doc: doc["lastChanged"], reverse=True)  # "desc:lastChanged"
    return json_response(
        {"count": len(found), "self": request.url, "next": None, "instances": found}
    )


RULES = [Rule(PATH, endpoint=instances_query, methods=["GET"])]
