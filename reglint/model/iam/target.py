"""What an evaluation asks about: the repositories of an ARN pattern (a manifest's
namespace), or any repository of a partition (a standalone push policy)."""

from __future__ import annotations

from typing import NamedTuple

from reglint.model.iam.patterns import Pattern


class RepositoryTarget(NamedTuple):
    """The repositories an evaluation asks about: an ARN pattern's, or any at all."""

    pattern: Pattern
    any_repository: bool
    shown_partition: str | None = None  # named in `description` (any repository only)

    @classmethod
    def for_arn_pattern(cls, arn_pattern: str) -> RepositoryTarget:
        """Every repository ARN the pattern matches (`…:repository/ml-prod/runtime*`).

        Its `*` and `?` stand for parts of real ARNs, so they never match `:`.
        """
        return cls(Pattern.segment_glob(arn_pattern), any_repository=False)

    @classmethod
    def for_namespace(
        cls, partition: str, region: str, account: str, prefix: str
    ) -> RepositoryTarget:
        """The repositories whose names start with `prefix`.

        `prefix` is the namespace after the host: the URL's path, a `/`, and the image
        prefix (`ml-prod/` + `runtime`), or empty for a registry without a path.
        """
        return cls.for_arn_pattern(f"arn:{partition}:ecr:{region}:{account}:repository/{prefix}*")

    @classmethod
    def any(cls, partition: str = "aws", *, show_partition: bool = False) -> RepositoryTarget:
        """Some repository of some account in `partition`: one must be allowed, not denied.

        Partitions all start with `aws`; the account has 12 characters (digits), and
        region and name are never empty. Messages name the partition when it is not
        `aws`, or when `show_partition` asks for it.
        """
        pattern = Pattern.segment_glob(f"arn:{partition}:ecr:?*:????????????:repository/?*")
        shown = partition if show_partition or partition != "aws" else None
        return cls(pattern, any_repository=True, shown_partition=shown)

    @property
    def description(self) -> str:
        """How messages name the target."""
        if not self.any_repository:
            return self.pattern.text
        if self.shown_partition:
            return f"any ECR repository in partition {self.shown_partition}"
        return "any ECR repository"
