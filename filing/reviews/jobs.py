"""Building a level's materials ZIP as a background job, with progress the page can show.

`request_package` records the request and queues the task once the transaction commits; with
no broker configured the task runs at once, in the same request. `run_package_build` does the
work wherever it runs (worker or inline) and records progress on the PackageBuild row.
"""

from __future__ import annotations

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.orgs.models import User
from filing.reviews.constants import UNFINISHED_JOBS, JobStatus, ReviewStatus
from filing.reviews.models import LevelList, PackageBuild
from filing.reviews.services import ReviewError, list_reviews

logger = logging.getLogger(__name__)

# Record progress at most this often (in applications), so a big build does not write per file.
PROGRESS_STEP = 5


def request_package(lst: LevelList, *, actor: User) -> PackageBuild:
    """Queue a build of the list's ZIP; a build already under way is returned instead."""
    from filing.reviews.tasks import build_package_task

    if not (actor.is_authority_staff and actor.authority_id == lst.authority_id):
        raise ReviewError(_("只有本单位人员可以打包本级材料。"))
    with transaction.atomic():
        LevelList.objects.select_for_update().get(pk=lst.pk)
        running = lst.builds.filter(status__in=UNFINISHED_JOBS).first()
        if running is not None:
            return running
        recommended = list_reviews(lst).filter(
            status__in=[ReviewStatus.RECOMMENDED, ReviewStatus.FORWARDED]
        )
        if not recommended.exists():
            raise ReviewError(_("名单中没有拟推荐的申报。"))
        build = PackageBuild.objects.create(
            level_list=lst, requested_by=actor, total=recommended.count()
        )
        transaction.on_commit(lambda: build_package_task.delay(build.pk))
    build.refresh_from_db()
    return build


def run_package_build(build_id: int) -> None:
    """Build the ZIP into a temporary file, then keep it in storage; old builds are removed."""
    from filing.reviews.package import build_package

    build = PackageBuild.objects.select_related("level_list__call", "level_list__authority").get(
        pk=build_id
    )
    if build.status not in UNFINISHED_JOBS:
        return
    PackageBuild.objects.filter(pk=build.pk).update(status=JobStatus.RUNNING)

    def progress(done: int, total: int) -> None:
        if done == total or done % PROGRESS_STEP == 0:
            PackageBuild.objects.filter(pk=build.pk).update(done=done, total=total)

    try:
        with tempfile.TemporaryFile() as handle:
            count = build_package(build.level_list, handle, progress=progress)
            size = handle.tell()
            handle.seek(0)
            build.file.save(f"{build.level_list.authority.code}.zip", File(handle), save=False)
    except Exception:
        logger.exception("package build %s failed", build.pk)
        PackageBuild.objects.filter(pk=build.pk).update(
            status=JobStatus.FAILED,
            error=_("打包失败，请稍后重试；如仍失败请联系平台管理员。"),
            finished_at=timezone.now(),
        )
        return
    PackageBuild.objects.filter(pk=build.pk).update(
        status=JobStatus.DONE,
        file=build.file.name,
        size=size,
        done=count,
        total=count,
        finished_at=timezone.now(),
    )
    for old in build.level_list.builds.exclude(pk=build.pk).filter(status=JobStatus.DONE):
        old.file.delete(save=False)
        old.delete()
