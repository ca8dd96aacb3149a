"""User state only: content lives in files and is keyed here by slug and id."""
from .attempt import Attempt, AttemptAnswer  # noqa: F401
from .certificate import Certificate  # noqa: F401
from .credential_key import CredentialKey  # noqa: F401
from .outbox import OutboxEmail  # noqa: F401
from .progress import LessonProgress  # noqa: F401
from .room import RoomCode, RoomInstall, RoomKit  # noqa: F401
from .room_sync import ReceivedBundle, ReceivedRecord, RoomAccount, RoomClaimCode, SentRecord  # noqa: F401
from .token import AccountToken, SentEmail  # noqa: F401  (one-time links, throttled emails)
from .user import LoginAttempt, User, UserSession  # noqa: F401
from .workshop import (  # noqa: F401
    AttendanceMark,
    CodeLookup,
    CofacilitatorInvitation,
    LiveAnswer,
    LiveQuestion,
    SavedQuestion,
    Workshop,
    WorkshopFacilitator,
    WorkshopMember,
    WorkshopTest,
)
