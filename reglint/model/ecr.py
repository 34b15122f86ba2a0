"""Amazon ECR registry hosts: the grammar, and explained reasons when a host breaks it.

Private ECR registry hosts (SPEC §6.6), per
https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html,
https://docs.aws.amazon.com/general/latest/gr/ecr.html and
https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-requests.html:

    <12-digit account>.dkr.ecr[-fips].<region>.<IPv4 suffix>
    <12-digit account>.dkr-ecr[-fips].<region>.on.aws                    (dual-stack)
    <12-digit account>.dkr-ecr.<region>.on.amazonwebservices.com.cn      (dual-stack, China)

The host *table* (which suffixes exist, which partitions serve dual-stack hosts) is
reglint's own: botocore's data describes API endpoints, not registry hosts. The
*agreement* between a region and a suffix comes from botocore's partition data: the IPv4
suffix must be the DNS suffix of the region's partition (`cn-north-1` needs
`.amazonaws.com.cn`), and a dual-stack suffix must serve the region's partition.

A dual-stack host may also be written with `dkr.ecr` before its `on.…` suffix, as
amazon-ecr-credential-helper accepts (its own test table writes the China dual-stack
host so). reglint is stricter than the helper in three places, each following the
table: `dkr-ecr` before an IPv4 suffix, a dual-stack suffix outside its partitions, and
FIPS with the China dual-stack suffix are RL103 errors.

A host is an ECR *attempt* (SPEC §1.1) when it contains `.dkr.ecr` or `dkr-ecr`; reglint
also counts a host that starts with `dkr.ecr` (the account forgotten). An attempt that
breaks the grammar gets RL103 with each reason.

ECR Public (`public.ecr.aws/<alias>`, and its dual-stack name `ecr-public.aws.com`) is a
different service whose push actions are `ecr-public:*`.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import NamedTuple

from reglint.model.aws_partitions import Partition, PartitionData, partition_data

__all__ = [
    "ECR_PUBLIC_HOSTS",
    "EcrHost",
    "EcrHostAnalysis",
    "EcrHostProblem",
    "EcrProblemKind",
    "analyse_ecr_host",
    "is_ecr_attempt",
    "is_ecr_public_host",
    "parse_ecr_host",
]

ECR_PUBLIC_HOSTS = frozenset({"public.ecr.aws", "ecr-public.aws.com"})
# IPv4 registry host suffixes, one per partition (SPEC §6.6).
IPV4_SUFFIXES = (
    "amazonaws.com",
    "amazonaws.com.cn",
    "amazonaws.eu",
    "c2s.ic.gov",
    "sc2s.sgov.gov",
    "cloud.adc-e.uk",
    "csp.hci.ic.gov",
)
# Dual-stack registry host suffixes and the partitions they serve (SPEC §6.6).
DUAL_STACK_SUFFIXES: dict[str, tuple[str, ...]] = {
    "on.aws": ("aws", "aws-us-gov"),
    "on.amazonwebservices.com.cn": ("aws-cn",),
}
# China has no FIPS endpoints, so its dual-stack suffix has no `-fips` form.
_FIPS_DUAL_STACK_SUFFIXES = frozenset({"on.aws"})

_ACCOUNT = re.compile(r"^[0-9]{12}$")
# `…dkr.ecr-fips.` / `…dkr-ecr.`: the marker between the account and the region.
_MARKER = re.compile(r"(?:^|\.)(dkr\.ecr|dkr-ecr)(-fips)?\.")
# What every AWS region looks like (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`); a
# region of this shape that no partition's regex fits is unknown, not malformed.
_REGION_SHAPE = re.compile(r"^[a-z]+(?:-[a-z]+)+-[0-9]+$")


class EcrProblemKind(enum.Enum):
    SHAPE = "shape"
    ACCOUNT = "account"
    REGION_MISSING = "region-missing"
    REGION_MALFORMED = "region-malformed"
    DNS_SUFFIX = "dns-suffix"
    UNKNOWN_REGION = "unknown-region"


class EcrHostProblem(NamedTuple):
    """One reason an ECR host is broken; `warning` for a well-formed but unknown region."""

    kind: EcrProblemKind
    message: str
    warning: bool = False


class EcrHost(NamedTuple):
    """A private ECR registry host, taken apart."""

    account: str
    region: str
    partition: str  # the ARN partition: aws, aws-cn, aws-us-gov, aws-iso, …
    dns_suffix: str
    fips: bool = False
    dual_stack: bool = False
    region_known: bool = True  # False: well-formed, but not in botocore's data

    @property
    def hostname(self) -> str:
        """The canonical host name."""
        marker = ("dkr-ecr" if self.dual_stack else "dkr.ecr") + ("-fips" if self.fips else "")
        return f"{self.account}.{marker}.{self.region}.{self.dns_suffix}"

    def repository_arn(self, repository: str) -> str:
        """`arn:<partition>:ecr:<region>:<account>:repository/<repository>`."""
        return f"arn:{self.partition}:ecr:{self.region}:{self.account}:repository/{repository}"


class EcrHostAnalysis(NamedTuple):
    """What `analyse_ecr_host` found: the host (None when it is broken) and the reasons."""

    host: EcrHost | None
    problems: tuple[EcrHostProblem, ...]

    @property
    def errors(self) -> tuple[EcrHostProblem, ...]:
        return tuple(p for p in self.problems if not p.warning)


def is_ecr_attempt(host: str) -> bool:
    """True when the host is meant as a private ECR registry (valid or broken)."""
    lowered = "." + host.lower()
    return ".dkr.ecr" in lowered or "dkr-ecr" in lowered


def is_ecr_public_host(host: str) -> bool:
    """True for ECR Public's registry host."""
    return host.lower() in ECR_PUBLIC_HOSTS


def parse_ecr_host(host: str) -> EcrHost | None:
    """The ECR host, or None when `host` is not a (valid) private ECR host.

    A well-formed region that botocore does not know still parses (`region_known` is
    False): the region may be newer than the data.
    """
    analysis = analyse_ecr_host(host)
    return analysis.host if not analysis.errors else None


@functools.lru_cache(maxsize=256)
def analyse_ecr_host(host: str) -> EcrHostAnalysis:
    """Take an ECR host apart and explain every way it breaks the grammar.

    `host` is the host name without port. A host that is no ECR attempt at all gives
    one SHAPE problem.
    """
    host = host.lower()
    marker = _MARKER.search(host)
    if marker is None:
        expected = "<12-digit account>.dkr.ecr.<region>.<DNS suffix>"
        return EcrHostAnalysis(
            None, (EcrHostProblem(EcrProblemKind.SHAPE, f"the host is not {expected}"),)
        )
    return _Analyser(host, marker, partition_data()).run()


class _Analyser:
    """One analysis: account, then region, then DNS suffix, collecting problems."""

    def __init__(self, host: str, marker: re.Match[str], data: PartitionData) -> None:
        self.host = host
        self.dashed = marker.group(1) == "dkr-ecr"  # the dual-stack marker
        self.fips = marker.group(2) is not None
        self.account = host[: marker.start()]
        self.rest = host[marker.end() :]
        self.data = data
        self.problems: list[EcrHostProblem] = []

    def problem(self, kind: EcrProblemKind, message: str, *, warning: bool = False) -> None:
        self.problems.append(EcrHostProblem(kind, message, warning))

    def run(self) -> EcrHostAnalysis:
        self._check_account()
        region, suffix = self._split_region()
        partition = self._check_region(region) if region is not None else None
        if suffix in DUAL_STACK_SUFFIXES:
            partition = self._check_dual_stack_suffix(region, suffix, partition)
        else:
            partition = self._check_suffix(region, suffix, partition)
        if any(not p.warning for p in self.problems) or region is None or partition is None:
            return EcrHostAnalysis(None, tuple(self.problems))
        known = not self.data.available or self.data.is_known_region(region)
        ecr_host = EcrHost(
            account=self.account,
            region=region,
            partition=partition.id,
            dns_suffix=suffix,
            fips=self.fips,
            dual_stack=suffix in DUAL_STACK_SUFFIXES,
            region_known=known,
        )
        return EcrHostAnalysis(ecr_host, tuple(self.problems))

    def _check_account(self) -> None:
        if _ACCOUNT.match(self.account):
            return
        if not self.account:
            found = "no account ID before 'dkr.ecr'"
        elif self.account.isascii() and self.account.isdigit():
            found = f"account ID '{self.account}' has {len(self.account)} digits"
        else:
            found = f"account ID '{self.account}' is not all digits"
        self.problem(
            EcrProblemKind.ACCOUNT,
            f"{found}: an AWS account ID is exactly 12 digits "
            "(<account>.dkr.ecr.<region>.amazonaws.com)",
        )

    def _split_region(self) -> tuple[str | None, str]:
        """Split `<region>.<suffix>`, recognising the suffix first (it may hold dots)."""
        # botocore's suffixes too: a partition newer than reglint's table still splits.
        known = {*IPV4_SUFFIXES, *DUAL_STACK_SUFFIXES, *self.data.dns_suffixes}
        for suffix in sorted(known, key=len, reverse=True):
            if self.rest == suffix:
                self.problem(
                    EcrProblemKind.REGION_MISSING,
                    f"no region between 'dkr.ecr' and '{suffix}': "
                    "insert it, as in '.dkr.ecr.us-east-1.amazonaws.com'",
                )
                return None, suffix
            if self.rest.endswith("." + suffix):
                return self.rest[: -len(suffix) - 1], suffix
        region, _, suffix = self.rest.partition(".")
        return region, suffix

    def _check_region(self, region: str) -> Partition | None:
        """Check the region's form; return its partition (None when none fits)."""
        if not region:
            self.problem(
                EcrProblemKind.REGION_MISSING,
                "the region is empty ('dkr.ecr..'): write it between the dots, "
                "as in '.dkr.ecr.us-east-1.amazonaws.com'",
            )
            return None
        if not _REGION_SHAPE.match(region):
            self.problem(
                EcrProblemKind.REGION_MALFORMED,
                f"region '{region}' is malformed: regions look like 'us-east-1'"
                + self._did_you_mean(region),
            )
            return None
        partition = self.data.partition_of_region(region)
        if self.data.available and not self.data.is_known_region(region):
            self.problem(
                EcrProblemKind.UNKNOWN_REGION,
                f"region '{region}' is not in botocore {self.data.version}'s data: "
                "if it is a new region, update botocore; otherwise fix it"
                + self._did_you_mean(region),
                warning=True,
            )
        return partition

    def _check_suffix(
        self, region: str | None, suffix: str, partition: Partition | None
    ) -> Partition | None:
        """Check an IPv4 (or unknown) suffix against the region's partition; return the
        partition."""
        if self.dashed:
            own = _dual_stack_suffix(partition.id) if partition is not None else "on.aws"
            if own is not None:
                message = f"a dual-stack ECR host ends in '.{own}', not '.{suffix}'"
            else:
                message = (
                    f"partition {partition.id if partition else '?'} has no dual-stack ECR "
                    "hosts: write 'dkr.ecr' instead of 'dkr-ecr'"
                )
            self.problem(EcrProblemKind.DNS_SUFFIX, message)
            return partition
        if not self.data.available:
            return partition
        if partition is not None:
            if suffix != partition.dns_suffix:
                own = _dual_stack_suffix(partition.id)
                hint = f" (dual-stack: '.{own}')" if own and suffix.startswith("on.") else ""
                self.problem(
                    EcrProblemKind.DNS_SUFFIX,
                    f"region '{region}' is in partition {partition.id}, whose DNS suffix is "
                    f"'.{partition.dns_suffix}'{hint}, not '.{suffix}'",
                )
            return partition
        by_suffix = self.data.partitions_with_suffix(suffix)
        if by_suffix:
            return by_suffix[0]  # an unknown region: trust the suffix for the partition
        if region:
            known = ", ".join(f"'.{s}'" for s in sorted(self.data.dns_suffixes))
            self.problem(
                EcrProblemKind.DNS_SUFFIX,
                f"'.{suffix}' is no AWS partition's DNS suffix in botocore "
                f"{self.data.version}'s data (known: {known})",
            )
        return None

    def _check_dual_stack_suffix(
        self, region: str | None, suffix: str, partition: Partition | None
    ) -> Partition | None:
        """Check a dual-stack suffix against the region's partition; return the partition."""
        served = DUAL_STACK_SUFFIXES[suffix]
        if partition is None:  # an unknown region: trust the suffix for the partition
            partition = next((p for p in self.data.partitions if p.id == served[0]), None)
        elif partition.id not in served:
            own = _dual_stack_suffix(partition.id)
            if own is not None:
                message = (
                    f"region '{region}' is in partition {partition.id}, whose dual-stack ECR "
                    f"hosts end in '.{own}', not '.{suffix}'"
                )
            else:
                ipv4 = f"{self.account}.dkr.ecr.{region}.{partition.dns_suffix}"
                message = (
                    f"region '{region}' is in partition {partition.id}, which has no "
                    f"dual-stack ECR hosts: write '{ipv4}'"
                )
            self.problem(EcrProblemKind.DNS_SUFFIX, message)
            return partition
        if self.fips and suffix not in _FIPS_DUAL_STACK_SUFFIXES:
            self.problem(
                EcrProblemKind.DNS_SUFFIX,
                f"partition {served[0]} has no FIPS dual-stack ECR hosts: drop '-fips'",
            )
        return partition

    def _did_you_mean(self, region: str) -> str:
        import difflib  # only a broken region pays for it

        close = difflib.get_close_matches(region, sorted(self.data.known_regions), n=1)
        return f" (did you mean '{close[0]}'?)" if close else ""


def _dual_stack_suffix(partition: str) -> str | None:
    """The dual-stack suffix that serves a partition, if it has one."""
    return next((s for s, served in DUAL_STACK_SUFFIXES.items() if partition in served), None)
