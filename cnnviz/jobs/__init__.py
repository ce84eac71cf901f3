"""Work off the page script: a generic background job with pause, resume and stop, the
server-wide limiter, the runners (worker pool, threads, a Ray cluster), the training job, the
sequence job (several runs in a row), the segmentation job and the transfer-learning job.

Lesson: every page that trains.
"""

from __future__ import annotations

from cnnviz.jobs.backend import (
    PoolSize,
    backend_name,
    cluster_runner,
    default_runner,
    pool_size,
    server_label,
    shared_pool,
    started_pool,
    threads_per_job,
)
from cnnviz.jobs.handle import JobHandle, JobInfo, Runner
from cnnviz.jobs.job import ACTIVE_STATUSES, STATUSES, BackgroundJob
from cnnviz.jobs.limiter import POLL_SECONDS, JobLimiter, shared_limiter
from cnnviz.jobs.log import EventLogJob, Progress
from cnnviz.jobs.pace import (
    SLOW_MOTION_SECONDS,
    PacedControl,
    slow_motion_pace,
    slow_motion_snapshot_every,
)
from cnnviz.jobs.pool import WorkerPool
from cnnviz.jobs.ray_runner import ClusterUnreachable, RayRunner, ray_available
from cnnviz.jobs.segment import SEGMENT_MAX_SECONDS, SegmentJob, SegmentSnapshot, SegmentTask
from cnnviz.jobs.sequence import (
    PlannedRun,
    RunBegins,
    RunEnds,
    RunOutcome,
    SequenceJob,
    SequenceSnapshot,
    SequenceTask,
)
from cnnviz.jobs.task import CallableTask, Task, describe_error
from cnnviz.jobs.threads import JobControl, ThreadRunner
from cnnviz.jobs.training import (
    DEFAULT_MAX_SECONDS,
    REPLAY_BYTES,
    JobSnapshot,
    TrainedWeights,
    TrainingJob,
    TrainTask,
    snapshot_bytes,
)
from cnnviz.jobs.transfer import (
    TRANSFER_MAX_SECONDS,
    TransferJob,
    TransferSnapshot,
    TransferTask,
)
from cnnviz.jobs.usage import CpuMeter, ProcessUsage, children_of, process_usage
from cnnviz.jobs.worker import FlagControl

__all__ = [
    "ACTIVE_STATUSES",
    "DEFAULT_MAX_SECONDS",
    "POLL_SECONDS",
    "REPLAY_BYTES",
    "SEGMENT_MAX_SECONDS",
    "SLOW_MOTION_SECONDS",
    "STATUSES",
    "TRANSFER_MAX_SECONDS",
    "BackgroundJob",
    "CallableTask",
    "ClusterUnreachable",
    "CpuMeter",
    "EventLogJob",
    "FlagControl",
    "JobControl",
    "JobHandle",
    "JobInfo",
    "JobLimiter",
    "JobSnapshot",
    "PacedControl",
    "PlannedRun",
    "PoolSize",
    "ProcessUsage",
    "Progress",
    "RayRunner",
    "RunBegins",
    "RunEnds",
    "RunOutcome",
    "Runner",
    "SegmentJob",
    "SegmentSnapshot",
    "SegmentTask",
    "SequenceJob",
    "SequenceSnapshot",
    "SequenceTask",
    "Task",
    "ThreadRunner",
    "TrainTask",
    "TrainedWeights",
    "TrainingJob",
    "TransferJob",
    "TransferSnapshot",
    "TransferTask",
    "WorkerPool",
    "backend_name",
    "children_of",
    "cluster_runner",
    "default_runner",
    "describe_error",
    "pool_size",
    "process_usage",
    "ray_available",
    "server_label",
    "shared_limiter",
    "shared_pool",
    "slow_motion_pace",
    "slow_motion_snapshot_every",
    "snapshot_bytes",
    "started_pool",
    "threads_per_job",
]
