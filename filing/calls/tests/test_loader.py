"""Loading call definitions: sound files load once; unsound ones are refused whole, with the
file, the line and what is wrong, and nothing is half-loaded."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from filing.audit.models import AuditEvent
from filing.calls.loading import DefinitionError, check_text, load_paths
from filing.calls.models import Call, CallVersion

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sound_file_loads_with_its_columns_and_an_audit_row(db, tmp_path):
    load_paths([write(tmp_path, "minimal.yaml", MINIMAL)])
    call = Call.objects.get(code="minimal-2021")
    assert call.title == "测试批次"
    assert call.title_en == "Test call"
    assert call.issuer.code == "ln"
    assert (
        call.submission_deadline.isoformat() == "2021-05-14T15:59:59+00:00"
    )  # 23:59:59 in Shanghai
    assert call.definition.rosters[0].key == "companies"
    assert AuditEvent.objects.filter(event="call.loaded", object_id=str(call.pk)).count() == 1


def test_loading_the_same_version_twice_changes_nothing(db, tmp_path):
    path = write(tmp_path, "minimal.yaml", MINIMAL)
    load_paths([path])
    result = load_paths([path])
    assert result.loaded == []
    assert result.unchanged == ["minimal-2021"]
    assert CallVersion.objects.count() == 1
    assert AuditEvent.objects.filter(event="call.loaded").count() == 1


def test_a_comment_only_change_is_the_same_content(db, tmp_path):
    load_paths([write(tmp_path, "a.yaml", MINIMAL)])
    result = load_paths([write(tmp_path, "a.yaml", "# edited\n" + MINIMAL)])
    assert result.unchanged == ["minimal-2021"]


def test_the_same_version_with_other_content_is_refused(db, tmp_path):
    load_paths([write(tmp_path, "a.yaml", MINIMAL)])
    changed = MINIMAL.replace("total_area >= 500", "total_area >= 600")
    with pytest.raises(DefinitionError, match="raise the version number"):
        load_paths([write(tmp_path, "a.yaml", changed)])
    assert (
        Call.objects.get(code="minimal-2021").definition.eligibility[0].expression
        == "total_area >= 500"
    )


def test_a_new_version_becomes_current_and_the_old_one_is_kept(db, tmp_path):
    load_paths([write(tmp_path, "a.yaml", MINIMAL)])
    changed = MINIMAL.replace("version: 1", "version: 2").replace(
        "total_area >= 500", "total_area >= 600"
    )
    load_paths([write(tmp_path, "a.yaml", changed)])
    call = Call.objects.get(code="minimal-2021")
    assert call.current_version.version == 2
    assert sorted(call.versions.values_list("version", flat=True)) == [1, 2]


def test_an_older_version_is_refused(db, tmp_path):
    load_paths([write(tmp_path, "a.yaml", MINIMAL.replace("version: 1", "version: 3"))])
    with pytest.raises(DefinitionError, match="older than the loaded version 3"):
        load_paths([write(tmp_path, "b.yaml", MINIMAL.replace("version: 1", "version: 2"))])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("max_chars: 50", "max_chars: -1"),
            "minimal.yaml:18 sections[0].fields[0].max_chars (key: space_name): "
            "Input should be greater than 0",
        ),
        (
            ("type: decimal, label: {zh: 总面积", "type: decimel, label: {zh: 总面积"),
            "sections[0].fields[1].type (key: total_area): Input should be 'text'",
        ),
        (("issuer: ln", "issuer: ln\ncolour: red"), "colour: Extra inputs are not permitted"),
        (
            ("total_area >= 500", "totl_area >= 500"),
            "rule area.expression: unknown name: totl_area",
        ),
        (
            ("level: first\n", "level: firstt\n"),
            "summary_table.level: unknown route level 'firstt'",
        ),
        (("tracks:\n  - {key: maker_space", "tracks:\n  - {key: Maker"), "tracks[0].key"),
        (
            ("deadline: 2021-05-21", "deadline: 2021-05-01"),
            "route level first: its deadline is before the previous one",
        ),
        (('pattern: ".+专业化众创空间"', 'pattern: "("'), "pattern is not a valid regex"),
        (
            ('expression: "percent(work_area, total_area)"', "expression: \"__import__('os')\""),
            "unknown function",
        ),
        (
            ("issuer: ln\n", "issuer: ln\ncover:\n  - {label: 众创空间名称, value: spce_name}\n"),
            "cover line '众创空间名称': 'spce_name' is not a field key",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_the_place_and_the_fault(db, tmp_path, change, expected):
    broken = MINIMAL.replace(*change)
    assert broken != MINIMAL
    with pytest.raises(DefinitionError) as exc:
        load_paths([write(tmp_path, "minimal.yaml", broken)])
    assert expected in str(exc.value)
    assert not Call.objects.exists()


def test_a_cross_check_problem_points_at_the_line_of_the_key(db):
    broken = MINIMAL.replace("total_area >= 500", "totl_area >= 500")
    with pytest.raises(DefinitionError) as exc:
        check_text(broken, "minimal.yaml")
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "key: area" in text)
    assert exc.value.problems[0].line == line


def test_yaml_syntax_errors_give_the_line(db, tmp_path):
    with pytest.raises(DefinitionError) as exc:
        load_paths([write(tmp_path, "bad.yaml", MINIMAL.replace("version: 1", "version: [1"))])
    assert "bad.yaml:" in str(exc.value)
    assert "not valid YAML" in str(exc.value)


def test_an_unknown_authority_is_refused(db, tmp_path):
    with pytest.raises(DefinitionError, match="unknown authority code 'xx'"):
        load_paths([write(tmp_path, "a.yaml", MINIMAL.replace("issuer: ln", "issuer: xx"))])


def test_one_bad_file_among_good_ones_loads_none_of_them(db, tmp_path):
    good = write(tmp_path, "a.yaml", MINIMAL)
    other = write(tmp_path, "b.yaml", MINIMAL.replace("code: minimal-2021", "code: other-2021"))
    bad = write(
        tmp_path,
        "c.yaml",
        MINIMAL.replace("code: minimal-2021", "code: third-2021").replace(
            "issuer: ln", "issuer: nowhere"
        ),
    )
    with pytest.raises(DefinitionError):
        load_paths([good, other, bad])
    assert not Call.objects.exists()
    assert not CallVersion.objects.exists()


def test_the_command_prints_every_problem_and_fails(db, tmp_path, capsys):
    bad = write(tmp_path, "bad.yaml", MINIMAL.replace("max_chars: 50", "max_chars: 0"))
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_calls", str(bad))
    assert "bad.yaml:18" in capsys.readouterr().err


def test_the_checksum_covers_the_files_content_not_the_formats_defaults(db, tmp_path):
    """Adding an optional key to the format must not make an unchanged file look changed."""
    first = check_text(MINIMAL, "a.yaml")
    explicit = MINIMAL.replace(
        "title: {zh: 汇总表, en: Summary}", "title: {zh: 汇总表, en: Summary}\n  notes: []"
    )
    assert check_text(explicit, "a.yaml").checksum != first.checksum  # the file says more
    assert check_text("# a comment\n" + MINIMAL, "a.yaml").checksum == first.checksum


def test_a_definition_with_aliases_is_refused_before_it_expands():
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 10):
        previous = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        laughs.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    with pytest.raises(DefinitionError) as caught:
        check_text("\n".join(laughs) + "\n", "laughs.yaml")
    problem = caught.value.problems[0]
    assert "aliases" in problem.message and problem.line == 1  # where the repeated value is
