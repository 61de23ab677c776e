"""Who is what in each chat (creator, administrator with rights, member, left, kicked) and the
forum topics of each forum supergroup: what getChatMember and message_thread_id are checked
against."""

from __future__ import annotations

from dataclasses import dataclass, field

from fakeapi.models import JSON, User

ANONYMOUS_ADMIN = User(1087968824, "Group", "GroupAnonymousBot", is_bot=True)
# ChatAdministratorRights: every field Telegram sends, all granted unless told otherwise.
ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
CHANNEL_RIGHTS = ("can_post_messages", "can_edit_messages")
GROUP_RIGHTS = ("can_pin_messages", "can_manage_topics")


@dataclass
class Member:
    status: str  # creator | administrator | member | left | kicked
    rights: dict[str, bool] = field(default_factory=dict)
    is_anonymous: bool = False


@dataclass
class Topic:
    thread_id: int
    name: str
    closed: bool = False


class Rosters:
    """Only touched from the server's event loop, like State."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.members: dict[tuple[int, int], Member] = {}
        self.forums: set[int] = set()
        self.topics: dict[int, dict[int, Topic]] = {}

    def set(self, chat_id: int, user_id: int, member: Member) -> Member:
        old = self.members.get((chat_id, user_id))
        self.members[(chat_id, user_id)] = member
        return old or Member("left")

    def get(self, chat_id: int, user_id: int) -> Member | None:
        return self.members.get((chat_id, user_id))

    def admins(self, chat_id: int) -> list[tuple[int, Member]]:
        return [
            (user_id, m)
            for (chat, user_id), m in self.members.items()
            if chat == chat_id and m.status in ("creator", "administrator")
        ]

    def topic(self, chat_id: int, thread_id: int) -> Topic | None:
        return self.topics.get(chat_id, {}).get(thread_id)


def admin(chat_type: str, *, post: bool = True, anonymous: bool = False) -> Member:
    """An administrator with every right of the chat's kind (`post`: can_post_messages)."""
    rights = dict.fromkeys(ADMIN_RIGHTS, True)
    if chat_type == "channel":
        rights.update(dict.fromkeys(CHANNEL_RIGHTS, True))
        rights["can_post_messages"] = post
    else:
        rights.update(dict.fromkeys(GROUP_RIGHTS, True))
    return Member("administrator", rights, anonymous)


def member_json(member: Member, user: User) -> JSON:
    """The ChatMember object Telegram returns for this status."""
    data: JSON = {"status": member.status, "user": user.to_json()}
    if member.status == "creator":
        data["is_anonymous"] = member.is_anonymous
    elif member.status == "administrator":
        data.update(can_be_edited=False, is_anonymous=member.is_anonymous, **member.rights)
    elif member.status == "kicked":
        data["until_date"] = 0
    return data
