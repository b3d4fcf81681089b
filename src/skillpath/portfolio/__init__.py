"""The learner's portfolio: evidence, verifiable Open Badges 3.0 credentials, stacking, portability.

Evidence items (completions, assessments, artefacts, feedback, credentials) link to skills with
the level and Bloom stage they show; attachments are content-addressed. Credentials are issued
as Open Badges 3.0 (VC Data Model 2.0) with an Ed25519 Data Integrity proof (eddsa-rdfc-2022) or
as VC-JOSE JWTs, and verified offline (OB 3.0 and OB 2.0, baked PNG/SVG). See docs/portfolio.md.
"""

from skillpath.portfolio._attachments import AttachmentPolicy, BlobStore, sniff_media_type
from skillpath.portfolio._baking import bake_png, bake_svg, unbake_png, unbake_svg
from skillpath.portfolio._contexts import BUNDLED_CONTEXTS, document_loader
from skillpath.portfolio._credentials import (
    IssuedCredential,
    build_credential,
    issue_badge,
    reissue_credential,
    revoke_credential,
)
from skillpath.portfolio._evidence import (
    add_evidence,
    get_item,
    list_items,
    load_portfolio,
    resolve_skill,
    share_item,
)
from skillpath.portfolio._integrity import (
    credential_weight,
    evidence_weight,
    integrity_flags,
    weighted_evidence,
)
from skillpath.portfolio._issuer import (
    IssuerProfile,
    create_issuer,
    default_issuer,
    rotate_key,
    signing_key,
)
from skillpath.portfolio._jose import sign_jwt, verify_jwt
from skillpath.portfolio._keys import KeyPair, generate_key, load_key_file, save_key_file
from skillpath.portfolio._ldp import canonicalize, create_proof, verify_proof
from skillpath.portfolio._model import (
    BLOOM_STAGES,
    EVIDENCE_KINDS,
    VISIBILITIES,
    Attachment,
    CredentialRecord,
    EvidenceItem,
    Flag,
    Portfolio,
    SkillClaim,
)
from skillpath.portfolio._portability import (
    ImportSummary,
    export_json_resume,
    export_xapi,
    export_zip,
    import_xapi,
    import_zip,
    snapshot,
)
from skillpath.portfolio._received import counts_as_verified, import_badge, store_status
from skillpath.portfolio._site import build_site
from skillpath.portfolio._stacking import StackResult, StackRule, evaluate_stack, load_stack_rule
from skillpath.portfolio._verify import (
    Check,
    VerificationKey,
    VerificationReport,
    load_verification_key,
    verify_badge,
)

__all__ = [
    "BLOOM_STAGES",
    "BUNDLED_CONTEXTS",
    "EVIDENCE_KINDS",
    "VISIBILITIES",
    "Attachment",
    "AttachmentPolicy",
    "BlobStore",
    "Check",
    "CredentialRecord",
    "EvidenceItem",
    "Flag",
    "ImportSummary",
    "IssuedCredential",
    "IssuerProfile",
    "KeyPair",
    "Portfolio",
    "SkillClaim",
    "StackResult",
    "StackRule",
    "VerificationKey",
    "VerificationReport",
    "add_evidence",
    "bake_png",
    "bake_svg",
    "build_credential",
    "build_site",
    "canonicalize",
    "counts_as_verified",
    "create_issuer",
    "create_proof",
    "credential_weight",
    "default_issuer",
    "document_loader",
    "evaluate_stack",
    "evidence_weight",
    "export_json_resume",
    "export_xapi",
    "export_zip",
    "generate_key",
    "get_item",
    "import_badge",
    "import_xapi",
    "import_zip",
    "integrity_flags",
    "issue_badge",
    "list_items",
    "load_key_file",
    "load_portfolio",
    "load_stack_rule",
    "load_verification_key",
    "reissue_credential",
    "resolve_skill",
    "revoke_credential",
    "rotate_key",
    "save_key_file",
    "share_item",
    "sign_jwt",
    "signing_key",
    "snapshot",
    "sniff_media_type",
    "store_status",
    "unbake_png",
    "unbake_svg",
    "verify_badge",
    "verify_jwt",
    "verify_proof",
    "weighted_evidence",
]
