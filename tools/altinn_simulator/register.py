"""Signing in the inbox, BRG's decision, and the open register (data.brreg.no).

A person signs on the simulator's inbox page (standing for ID-porten/BankID in Altinn);
signing ends the process, archives the instance and adds the receipt PDF. BRG then approves
(at once for small unaudited AS, else through the control API) and approved accounts appear
in the register lookup. ``complete_signing`` is the one way an instance gets signed: a person
login calling ``process/next`` with ``{"action": "sign"}`` can use it too.
"""

from datetime import date

from werkzeug.routing import Rule

from ..altinn_environments import SIM_INBOX, SIM_REGISTER
from . import pages
from .brg_app import new_element
from .brg_checks import auto_approvable, instance_issues
from .http import fail, html_response, json_response
from .state import iso_now


def inbox(sim, request):
    with sim.state.lock:
        waiting = [i for i in sim.state.instances.values() if _signable(i)]
        return html_response(pages.inbox(waiting))


def sign(sim, request, party, guid):
    with sim.state.lock:
        inst = sim.state.instances.get(f"{party}/{guid}")
        if inst is None:
            return html_response(pages.message("Not found", "No such filing."), 404)
        if request.method == "POST":
            signer = request.form.get("signer", "").strip()
            if not _signable(inst) or not signer:
                return html_response(pages.sign(inst, _signable(inst)), 409)
            complete_signing(sim, request, inst, signer)
        return html_response(pages.sign(inst, _signable(inst)))


def _signable(inst):
    return inst.task_type == "signing" and inst.active


def _fields(sim, inst):
    return instance_issues(inst, sim.state.config["data_types"])[1]


def complete_signing(sim, request, inst, signer):
    """End the process as Altinn does after the last signature (state lock held). The
    receipt PDF is added here; whether BRG's app makes ``ref-data-as-pdf`` already when the
    data task ends (app-lib's legacy PDF task) is not settled: the client asks for it only
    once the filing is signed."""
    now = iso_now()
    inst.doc["process"].update(currentTask=None, ended=now, endEvent="EndEvent_1")
    inst.doc["status"].update(isArchived=True, archived=now, readStatus="Read")
    inst.doc["completeConfirmations"] = []
    fields = _fields(sim, inst)
    lines = [
        "Kvittering - Altinn (simulator)",
        f"Årsregnskap {fields.get('17102', '')} for {inst.orgnr}",
        f"Instans: {inst.doc['id']}",
        f"Signert av: {signer}",
        f"Signert: {now}",
    ]
    receipt = pages.receipt_pdf(lines)
    element = new_element(request, inst.doc, "ref-data-as-pdf", "application/pdf", signer)
    element.update(filename=f"Årsregnskap {inst.orgnr}.pdf", size=len(receipt))
    inst.contents[element["id"]] = receipt
    if sim.state.config["auto_approve"] and auto_approvable(fields):
        decide(sim, inst, True, "Automatically approved")


def decide(sim, inst, approved, reason):
    """BRG's decision; approved accounts are published (state lock held)."""
    if not inst.doc["process"]["ended"]:
        fail(409, "Conflict", "The filing has not been signed yet.")
    inst.decision = {"approved": bool(approved), "reason": reason, "date": iso_now()}
    if approved:
        _publish(sim, inst)


def _publish(sim, inst):
    fields = _fields(sim, inst)
    published = sim.state.published.setdefault(inst.orgnr, [])
    year = fields.get("17102", "")
    number = sum(len(v) for v in sim.state.published.values()) + 1

    def amount(orid):
        value = fields.get(orid)
        return int(value) if value and value.lstrip("-").isdigit() else None

    published.append(
        {
            "id": 1000000 + number,
            "journalnr": f"{year}{number:07d}",
            "regnskapstype": "SELSKAP",
            "virksomhet": {
                "organisasjonsnummer": inst.orgnr,
                "organisasjonsform": fields.get("756"),
                "morselskap": fields.get("4168") == "ja",
            },
            "regnskapsperiode": {"fraDato": fields.get("17103"), "tilDato": fields.get("17104")},
            "valuta": fields.get("34984", "NOK"),
            "oppstillingsplan": "store",
            "avviklingsregnskap": fields.get("40314") == "true",
            "revisjon": {"ikkeRevidertAarsregnskap": fields.get("34669") == "ja"},
            "mottaksdag": date.today().isoformat(),
            "eiendeler": {"sumEiendeler": amount("219")},
            "egenkapitalGjeld": {"sumEgenkapitalGjeld": amount("251")},
            "resultatregnskapResultat": {"aarsresultat": amount("172")},
        }
    )


def lookup(sim, request, orgnr):
    with sim.state.lock:
        accounts = list(sim.state.published.get(orgnr, []))
    if not accounts:
        return json_response({"status": 404, "error": "Not Found", "path": request.path}, 404)
    return json_response(accounts)


RULES = [
    Rule(SIM_INBOX, endpoint=inbox, methods=["GET"]),
    Rule(f"{SIM_INBOX}/<int:party>/<guid>", endpoint=sign, methods=["GET", "POST"]),
    Rule(f"{SIM_REGISTER}/regnskapsregisteret/regnskap/<orgnr>", endpoint=lookup, methods=["GET"]),
]
