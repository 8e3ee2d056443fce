"""Altinn authentication's problem codes the simulator answers, verbatim from
Altinn/altinn-authentication ``src/Core/Problems/Problem.cs`` (``ProblemDescriptorFactory``
"AUTH": code, HTTP status, text) and ``src/Core/Errors/ValidationErrors.cs``."""

REPORTEE_ORGNO_NOT_FOUND = (
    "AUTH-00000",
    400,
    "Can't resolve the Organisation Number from the logged in Reportee PartyId.",
)
RIGHTS_NOT_FOUND = ("AUTH-00001", 400, "One or more Right not found or not delegable.")
SYSTEMUSER_ALREADY_EXISTS = (
    "AUTH-00004",
    400,
    "Failed to create new SystemUser, existing SystemUser tied to the given System-Id.",
)
REQUEST_NOT_FOUND = ("AUTH-00010", 404, "The Id does not refer to a Request in our system.")
SYSTEM_ID_NOT_FOUND = ("AUTH-00011", 404, "The Id does not refer to a Registered System.")
REQUEST_STATUS_NOT_NEW = ("AUTH-00013", 409, "The Status of the Request is not New.")
REDIRECT_URI_NOT_FOUND = ("AUTH-00021", 400, "The RedirectUri was not found or not valid.")
VENDOR_ORGNO_NOT_FOUND = (
    "AUTH-00023",
    401,
    "Can't resolve the Organisation Number for the Vendor from the Token.",
)
NO_REDIRECT_URIS = ("AUTH-00026", 400, "No redirect uris are set for the system")
MISSING_RIGHTS_OR_PACKAGES = (
    "AUTH-00059",
    400,
    "No AccessPackages or Single Rights found, a SystemUser must have at least one",
)

# ValidationErrors (code, text), reported inside STD-00000 "One or more validation errors
# occurred." as validationErrors [{code, title, paths}]
INVALID_ORG_IDENTIFIER = ("AUTH-00000", "the org number identifier is not valid ISO6523 identifier")
INVALID_SYSTEM_ID_FORMAT = (
    "AUTH-00001",
    "The system id does not match the format orgnumber_xxxx...",
)
SYSTEM_ID_EXISTS = ("AUTH-00002", "The system id already exists")
CLIENT_ID_EXISTS = ("AUTH-00004", "One of the client id is already tagged with an existing system")
INVALID_REDIRECT_URL = (
    "AUTH-00005",
    "One or more of the redirect urls format is not valid. The valid format is https://xxx.xx",
)
INVALID_RESOURCE_ID = (
    "AUTH-00009",
    "One or more resource id is in wrong format. The valid format is urn:altinn:resource",
)
SYSTEM_ID_MISMATCH = (
    "AUTH-00012",
    "The system ID in the request body does not match the system ID in the URL",
)
SYSTEM_ID_SPACES = (
    "AUTH-00013",
    "System ID cannot have spaces in id (leading, trailing or in between the id)",
)
VALIDATION_PROBLEM = ("STD-00000", 400, "One or more validation errors occurred.")
