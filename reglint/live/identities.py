"""Who pushes for a service (SPEC §6.4): `auth.roleArn`, else `--role`, else the caller.

- The caller is `sts:GetCallerIdentity`'s answer. A role session
  (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`) stands for its role `NAME`, which
  `iam:GetRole` finds by name, with its real ARN (path included); a user
  (`arn:aws:iam::ACCOUNT:user/…/NAME`) for the user with its groups; the account's root
  user for itself (it may do anything but what SCPs forbid). Any other caller (a
  federated user) has no rights reglint can read: the run says so and stops.
- A role given by ARN is looked up by its name: a role that does not exist, or whose
  ARN differs (same name, another path), is no error of the run but a finding (RL201,
  at `auth.roleArn`, or at `spec.url` for `--role` and the caller).
- IAM shows a role only to its own account: the rights of a role of another account
  than the caller's cannot be read. That is no failure of the run: RL201 says so as a
  `note` (with whose credentials to verify them), and RL401 still compares the role's
  account with the registry's, which the registry's own account can read.
"""

from __future__ import annotations

from reglint.live.facts import Caller, DeployedPolicy, DeployedRights, Identity, IdentitySource
from reglint.live.failures import AwsFailure
from reglint.live.rights import ManagedPolicies, role_rights, user_rights
from reglint.live.session import AwsSession
from reglint.model.iam.arns import is_role_arn

__all__ = ["Identities", "read_caller"]

# The root user may do anything (SCPs aside): one statement that says so.
_EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def read_caller(session: AwsSession) -> Caller:
    """Who the credentials are (`sts:GetCallerIdentity` needs no permission)."""
    answer = session.call("sts", "GetCallerIdentity", "the credentials")
    arn = str(answer.get("Arn") or "")
    parts = arn.split(":", 5)
    if len(parts) != 6:
        raise AwsFailure("sts:GetCallerIdentity answered no ARN: cannot tell who the credentials are")
    return Caller(arn, str(answer.get("Account") or parts[4]), parts[1])


class Identities:
    """The identities of one run, each read once."""

    def __init__(self, session: AwsSession, caller: Caller) -> None:
        self._session = session
        self.caller = caller
        self._managed = ManagedPolicies(session)
        self._roles: dict[str, Identity] = {}
        self._caller_identity: Identity | None = None

    def role(self, arn: str, source: IdentitySource) -> Identity:
        """The role of `arn`, with its deployed rights (or why it does not exist)."""
        key = arn
        if key not in self._roles:
            self._roles[key] = self._read_role(arn, source)
        return self._roles[key]._replace(source=source)

    def of_caller(self) -> Identity:
        """The caller's identity: its role, its user, or the root user."""
        if self._caller_identity is None:
            self._caller_identity = self._read_caller()
        return self._caller_identity

    def _read_caller(self) -> Identity:
        caller = self.caller
        resource = caller.arn.split(":", 5)[5]
        kind, _, rest = resource.partition("/")
        if kind == "assumed-role" and "/" in rest:
            return self._role_named(rest.split("/")[0], caller.arn, IdentitySource.CALLER)
        if kind == "user" and rest:
            name = rest.rsplit("/", 1)[-1]
            answer = self._session.call("iam", "GetUser", f"user {name}", absent=("NoSuchEntity",), UserName=name)
            if answer is None:
                return Identity(caller.arn, "user", IdentitySource.CALLER, None, f"user {name} does not exist")
            user = answer["User"]
            rights = user_rights(self._session, user, self._managed)
            return Identity(str(user["Arn"]), "user", IdentitySource.CALLER, rights)
        if resource == "root":
            root = DeployedPolicy(f"the root user of account {caller.account} (unrestricted)", _EVERYTHING)
            return Identity(caller.arn, "root", IdentitySource.CALLER, DeployedRights((root,)))
        raise AwsFailure(
            f"the caller {caller.arn} is neither a role session nor an IAM user: its rights cannot "
            "be read; name the pushing role with --role or auth.roleArn"
        )

    def _read_role(self, arn: str, source: IdentitySource) -> Identity:
        if not is_role_arn(arn):  # `--role` is checked; a manifest's value is RL002 in `check`
            return Identity(arn, "role", source, None, f"auth.roleArn {arn!r} is no IAM role ARN")
        parts = arn.split(":", 5)
        account = parts[4] if len(parts) == 6 else ""
        if account != self.caller.account:
            reason = (
                f"IAM shows a role only to its own account: role {arn} is in account {account}, and the "
                f"credentials are of account {self.caller.account}; verify its rights with credentials of "
                f"account {account} (--profile)"
            )
            return Identity(arn, "role", source, None, unreadable_reason=reason)
        return self._role_named(arn.rsplit("/", 1)[-1], arn, source)

    def _role_named(self, name: str, arn: str, source: IdentitySource) -> Identity:
        answer = self._session.call("iam", "GetRole", f"role {name}", absent=("NoSuchEntity",), RoleName=name)
        if answer is None:
            reason = f"role {arn} does not exist in account {self.caller.account}"
            return Identity(arn, "role", source, None, reason)
        role = answer["Role"]
        found = str(role["Arn"])
        if source is not IdentitySource.CALLER and found != arn:
            reason = f"no role has the ARN {arn}; the role named {name!r} is {found}"
            return Identity(arn, "role", source, None, reason)
        return Identity(found, "role", source, role_rights(self._session, role, self._managed))
