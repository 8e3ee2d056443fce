"""The words for the Altinn client's error codes, in the user's language.

The client (tools/, no Odoo) returns a code and its params; the models word them here.
"""


def altinn_error_message(env, error):
    """What ``error`` (an ``AltinnError``) means, in the user's language: worded here from
    the client's code and params (docs/altinn-simulator.md, "Errors"); the client's English
    message for the codes not worded here."""
    params = error.params
    mp = params.get("mp_id") or params.get("error") or ""
    client, environment = params.get("client_id"), params.get("environment")
    code = error.code
    if code == "mp_unknown_client":
        return env._(
            "Maskinporten does not know the client id %(client)s in the %(environment)s "
            "environment (%(mp)s). Check the client id in Digdir's self-service portal, and "
            "that the client was made for this environment.",
            client=client,
            environment=environment,
            mp=mp,
        )
    if code == "mp_key_rejected":
        return env._(
            "Maskinporten refused the key (%(mp)s): the private key here is not the one "
            "registered for client %(client)s, the key id (kid) is wrong, or the key has "
            "expired. Register this key's public key on the client in Digdir's self-service "
            "portal, or upload the right key here.",
            client=client,
            mp=mp,
        )
    if code == "mp_wrong_audience":
        return env._(
            "Maskinporten refused a login meant for another environment (%(mp)s): check that "
            "the environment chosen here is the one the client was made in.",
            mp=mp,
        )
    if code == "mp_clock":
        return env._(
            "Maskinporten refused the login as expired (%(mp)s): check this server's clock.",
            mp=mp,
        )
    if code in ("mp_scope_missing", "mp_scope_not_granted"):
        return env._(
            "The Maskinporten client %(client)s may not use the scope %(scope)s (%(mp)s): add "
            "it to the client in Digdir's self-service portal.",
            client=client,
            scope=params.get("scope"),
            mp=mp,
        )
    if code == "systemuser_not_found":
        return env._(
            "Maskinporten found no approved system user for %(orgnr)s (%(mp)s): the company "
            "has not approved the request in Altinn yet, has rejected it, or the request was "
            "made with another reference. Open the confirm link as the company's daglig "
            "leder, or ask again.",
            orgnr=params.get("orgnr"),
            mp=mp,
        )
    if code in ("mp_grant_reused", "mp_bad_grant", "token_failed"):
        return env._(
            "Maskinporten refused the login: %(reason)s",
            reason=params.get("description") or params.get("error") or params.get("status"),
        )
    if code == "key_unusable":
        return env._("The Maskinporten private key could not be used; upload the key again.")
    if code == "systemuser_exists":
        return env._(
            "%(orgnr)s has approved this system user in Altinn already.", orgnr=params.get("orgnr")
        )
    if code == "action_not_allowed":
        return env._(
            "Altinn does not let this system do '%(action)s' in the filing's current step "
            "(%(step)s).",
            action=params.get("action") or "-",
            step=params.get("task_type") or "-",
        )
    if code == "attachment_refused":
        return _attachment_message(env, params)
    if code == "delete_prevented":
        return env._("Altinn does not let the filing be deleted yet (a rule of the service).")
    return error.message


def _attachment_message(env, params):
    reasons = {
        "no_extension": env._("its name has no file extension"),
        "type_not_allowed": env._("only PDF files go to Altinn as attachments"),
        "type_mismatch": env._("its file type does not match its name"),
        "empty": env._("it is empty"),
        "too_large": env._("it is larger than %(max)s MB", max=params.get("max_mb")),
    }
    return env._(
        "The attachment %(name)s cannot be sent to Altinn: %(reason)s.",
        name=params.get("filename"),
        reason=reasons.get(params.get("reason"), params.get("reason")),
    )
