"""HTML pages a person uses (system-user approval, signing in the inbox) and the receipt
PDF. They stand for Altinn's portal, where a person logs in with ID-porten/BankID."""

from html import escape

from ..altinn_environments import SIM_INBOX

_STYLE = "body{font-family:sans-serif;max-width:40em;margin:2em auto} button{margin-right:1em}"


def _page(title, body):
    return (
        f"<!DOCTYPE html><html lang='nb'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{body}"
        "<p><small>Altinn simulator: no real login takes place.</small></p></body></html>"
    )


def message(title, text):
    return _page(title, f"<p>{escape(text)}</p>")


def confirm_request(entry, system):
    name = (system.get("name") or {}).get("nb") or entry["systemId"]
    rights = ", ".join(
        res["value"] for right in entry["rights"] for res in right.get("resource", [])
    )
    body = (
        f"<p>{escape(name)} asks for a system user for organisation "
        f"<b>{escape(entry['partyOrgNo'])}</b> with the rights: {escape(rights)}.</p>"
        f"<p>Status: <b id='status'>{escape(entry['status'])}</b></p>"
    )
    if entry["status"] == "New":
        body += (
            "<form method='post'>"
            "<button name='decision' value='approve'>Approve</button>"
            "<button name='decision' value='reject'>Reject</button></form>"
        )
    elif entry.get("redirectUrl"):
        body += f"<p><a href='{escape(entry['redirectUrl'])}'>Back to the accounting system</a></p>"
    return _page("Approve system user", body)


def inbox(instances):
    """Instances awaiting a signature, each with its signing form."""
    rows = "".join(
        f"<li><a href='{SIM_INBOX}/{escape(i.doc['id'])}'>Årsregnskap {escape(i.orgnr)}</a> "
        f"({escape(i.task_type or 'ended')})</li>"
        for i in instances
    )
    return _page("Innboks", f"<ul>{rows}</ul>" if rows else "<p>Nothing to sign.</p>")


def sign(instance, signable):
    step = instance.task_type or "ended"
    body = f"<p>Årsregnskap for {escape(instance.orgnr)}: <b id='task'>{escape(step)}</b></p>"
    if signable:
        body += (
            "<form method='post'><label>Name <input name='signer' required></label> "
            "<button>Sign and submit</button></form>"
        )
    return _page("Signer årsregnskap", body)


def _pdf_text(line):
    raw = line.encode("latin-1", "replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def receipt_pdf(lines):
    """A small, valid one-page PDF listing ``lines`` (Helvetica, Latin-1)."""
    text = " ".join(f"({_pdf_text(line)}) Tj 0 -18 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 770 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
