"""BRG's step-by-step Postman collection ("Årsrengskap - stegvis") replayed, step by step, by
the product's client against the simulator, with the bodies and variables of BRG's TT02
environment. Each step checks that the client made the very call BRG documents (method,
path, content type, file name, JSON body) and that the simulator answered as BRG expects.

Two departures, both BRG's own doing:
- the folder "Konsernregnskap som person" comes first in the collection but needs the group
  accounts' element id, which only exists after "Opprett konsernregnskap": it runs there;
- BRG's example Hovedskjema says morselskap = nei with konsernregnskap = ja, which BRG's own
  VAL_25943 refuses; the replay files it as a parent (see test_altinn_brg_checks).
- "Signer og send inn" needs a person: the system user's attempt is refused, as BRG
  says, and a person signs in the simulator's inbox (ID-porten signing is a later step).
"""

import io
import json
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from test_altinn_support import (
    BRG_POSTMAN,
    SYSTEM_ID,
    answer_request,
    brg_environment,
    make_client,
    sign,
    system_payload,
)

from tools.altinn_client import AltinnError
from tools.altinn_simulator.brg_metadata import DATA_TYPES

pytest_plugins = ["test_altinn_support"]

COLLECTION = BRG_POSTMAN / "Årsrengskap - stegvis.postman_collection.json"
PERSON_FOLDER = ["Hent konsernregnskap id", "Oppdater konsernregnskap"]
ORDER = [
    "1.0 Opprett instanse",
    "Oppdater hovedskjema",
    "Oppdater selskapsregnskap",
    "Opprett konsernregnskap",
    *PERSON_FOLDER,
    "Last opp vedlegg",
    "Last opp vedleggBaerekraft",
    "Valider hele skjema",
    "Neste prosess (til signering)",
    "Signer og send inn",
    "6. Informasjon om skjemaet",
]


def collection_steps():
    """Name -> request, and the names in the collection's own order."""
    steps, names = {}, []

    def walk(items):
        for item in items:
            if "item" in item:
                walk(item["item"])
            else:
                steps[item["name"]] = item["request"]
                names.append(item["name"])

    walk(json.loads(COLLECTION.read_text())["item"])
    return steps, names


def resolve(text, variables):
    return re.sub(r"{{(\w+)}}", lambda m: str(variables[m.group(1)]), text)


class Replay:
    def __init__(self, sim, client, variables):
        self.sim, self.client, self.vars = sim, client, variables
        self.org = variables["instance_owner_org_number"]

    @property
    def instance_id(self):
        return f"{self.vars['instance_owner_party_id']}/{self.vars['skjema_instans_id']}"

    def body(self, key):
        return self.vars[key].encode()

    # one method per step, named after it --------------------------------------------------

    def opprett_instanse(self):
        instance = self.client.create_instance(self.org)
        # the step's test script: party id, instance guid, the Hovedskjema and the first other form
        self.vars["instance_owner_party_id"], self.vars["skjema_instans_id"] = instance.id.split(
            "/"
        )
        self.vars["hovedskjema_data_id"] = instance.element_id("Hovedskjema")
        self.vars["underskjema_selskap_data_id"] = instance.element_id("Underskjema")

    def oppdater_hovedskjema(self):
        parent = self.body("hovedskjema_innhold").replace(b'orid="4168">nei', b'orid="4168">ja')
        self.client.put_data(self.org, self.instance_id, self.vars["hovedskjema_data_id"], parent)

    def oppdater_selskapsregnskap(self):
        element = self.vars["underskjema_selskap_data_id"]
        self.client.put_data(
            self.org, self.instance_id, element, self.body("selskapsregnskap_innhold")
        )

    def opprett_konsernregnskap(self):
        self.client.add_form(
            self.org, self.instance_id, "Underskjema", self.body("konsernregnskap_innhold")
        )

    def hent_konsernregnskap_id(self):
        forms = self.client.get_instance(self.org, self.instance_id).elements("Underskjema")
        self.vars["underskjema_selskap_data_id"] = forms[0]["id"]
        self.vars["underskjema_konsern_data_id"] = forms[1]["id"]

    def oppdater_konsernregnskap(self):
        element = self.vars["underskjema_konsern_data_id"]
        self.client.put_data(
            self.org, self.instance_id, element, self.body("konsernregnskap_innhold")
        )

    def last_opp_vedlegg(self):
        name = "langtittel12langtittel12langtittel12langtittel12langtittel123.pdf"
        self.upload(name, b"%PDF-1.4\n% noter\n", "application/pdf", "Vedlegg")

    def last_opp_vedleggbaerekraft(self):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("aarsberetning.xhtml", "<html/>")
        self.upload("test.zip", archive.getvalue(), "application/zip", "VedleggBaerekraft")

    def upload(self, name, content, content_type, data_type):
        element = self.client.add_attachment(
            self.org, self.instance_id, name, content, content_type, data_type
        )
        assert self.client.wait_for_file_scan(self.org, self.instance_id, element["id"])

    def valider_hele_skjema(self):
        issues = self.client.validate(self.org, self.instance_id)
        assert [i for i in issues if i["severity"] == 1] == []

    def neste_prosess_til_signering(self):
        state = self.client.process_next(self.org, self.instance_id)
        assert state["currentTask"]["altinnTaskType"] == "signing"

    def signer_og_send_inn(self):
        with pytest.raises(AltinnError) as refused:
            self.client.process_next(self.org, self.instance_id, action="sign")
        assert refused.value.code == "action_not_allowed"
        assert refused.value.params["task_type"] == "signing"
        sign(self.sim, self.instance_id)  # a person signs, in the inbox

    def informasjon_om_skjemaet(self):
        done = self.client.get_instance(self.org, self.instance_id)
        assert done.signed and done.element_id("ref-data-as-pdf")
        assert [e["dataType"] for e in done.raw["data"]].count("Underskjema") == 2


def method_name(step):
    words = re.sub(r"^[\d.]+ ", "", step).lower()
    return re.sub(r"[^a-z]+", "_", words.replace("å", "a")).strip("_")


def test_the_collection_still_has_the_steps_replayed():
    steps, names = collection_steps()
    assert sorted(names) == sorted(ORDER)
    assert names.index("Opprett konsernregnskap") < names.index("Last opp vedlegg")
    assert names[-3:] == ORDER[-3:]


def test_replay_brgs_step_by_step_collection(sim, rsa_key):
    env = brg_environment()
    assert (
        env["hovedskjema_data_type"] in DATA_TYPES
        and env["vedlegg_data_type_baerekraft"] in DATA_TYPES
    )
    client = make_client(sim, rsa_key[0])
    client.create_system(system_payload(client))
    org = env["instance_owner_org_number"]
    # "Logg inn som systembruker" (kombo collection) carries the system user's externalRef
    answer = client.request_system_user(SYSTEM_ID, org, env["systembrukerId"], client.app_rights())
    answer_request(answer)
    client.external_refs[org] = env["systembrukerId"]

    variables = {**env, "altinn_schema_base_url": client.env.apps_url}
    replay = Replay(sim, client, variables)
    steps, _names = collection_steps()
    for step in ORDER:
        before = len(sim.state.log)
        getattr(replay, method_name(step))()
        calls = [e for e in sim.state.log[before:] if e["endpoint"] not in ("token", "exchange")]
        documented = steps[step]
        expected_path = urlsplit(resolve(documented["url"]["raw"], variables)).path.rstrip("/")
        made = [
            c
            for c in calls
            if c["method"] == documented["method"] and c["path"].rstrip("/") == expected_path
        ]
        assert made, f"{step}: the client did not call {documented['method']} {expected_path}"
        _check_call(step, made[0], documented, variables)


def _check_call(step, call, documented, variables):
    headers = {h["key"]: resolve(h["value"], variables) for h in documented.get("header", [])}
    if "Content-Type" in headers:
        assert call["headers"]["Content-Type"] == headers["Content-Type"], step
    if "Content-Disposition" in headers:
        wanted = re.search(r'filename="([^"]+)"', headers["Content-Disposition"]).group(1)
        assert f'filename="{wanted}"' in call["headers"]["Content-Disposition"], step
    raw = (documented.get("body") or {}).get("raw")
    if raw and documented["body"].get("options", {}).get("raw", {}).get("language") == "json":
        assert call["json"] == json.loads(resolve(raw, variables)), step
    for query in documented["url"].get("query", []):
        if not query.get("disabled"):
            assert f"{query['key']}={resolve(query['value'], variables)}" in call["query"], step
