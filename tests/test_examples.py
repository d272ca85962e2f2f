"""The worked scenarios as data (examples/*.json): the gallery they load, and the one fintech
case told the same way by the gallery, the API, `tco --example` and docs/api.md.

tests/golden/gallery.json is the gallery as `load_examples` saves it on an empty database (each
example's slug, title, inputs, figures and words); loading examples/*.json must reproduce every
slug of it with the same inputs, figures and words, so a change to any example's figures is a
deliberate change to this file. Its history:

- When the examples became data: fintech-hybrid kept its inputs and figures and its narrative
  gained how its traffic (1,800 RPS) is derived from the reported 12 containers; its "reported"
  block gained the article's container count and post-migration throughput. The former
  docs/examples/fintech-hybrid.json (140,000 RPS, 75/20/5) is gone; the 140,000 RPS case lives
  on as the separately titled what-if fintech-hybrid-at-140k-rps (NEW below).
- 2 December 2026: every example moved to version 2 of its set (each language its own salary)
  and hires pay separation to the engineers they replace; each narrative ends with what changed
  and the totals before and after. The file was made again from load_examples.
- Later that day every query gained `hires_per_year=0` (team growth, off unless asked for);
  no figure changed. Then `discount_rate_pct=0` (present values, off unless asked for) and
  `currency=USD` (the display currency); no figure changed.
- 3 December 2026 (issue 16): every query gained the platform lines' fields, each line off in
  every example's document (database none, cache off, no load balancer, egress off,
  observability none), so no figure changed; turning them on is a change to each story.
"""

import io
import json
import re

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from costcalc.scenarios import examples, findings
from costcalc.scenarios.compute import compute_scenario
from costcalc.scenarios.format.resolve import resolve
from costcalc.scenarios.format.schema import parse
from costcalc.scenarios.models import Scenario
from costcalc.text import money

GOLDEN = json.loads((settings.BASE_DIR / "tests" / "golden" / "gallery.json").read_text())
NEW = {"fintech-hybrid-at-140k-rps"}
CASE_AND_WHAT_IF = ("fintech-hybrid", "fintech-hybrid-at-140k-rps")
WORDS = ("title", "description", "claim", "narrative", "finding", "reported")


def tco(*args) -> str:
    out = io.StringIO()
    call_command("tco", *args, stdout=out)
    return out.getvalue()


class ExamplesLoaded(TestCase):
    """The shipped assumption sets and examples/*.json, loaded once per class."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", verbosity=0)
        call_command("load_examples", stdout=io.StringIO())


class GalleryTests(ExamplesLoaded):
    def test_load_examples_reproduces_the_golden_gallery(self):
        saved = {s.slug: s for s in Scenario.objects.filter(is_example=True)}
        self.assertEqual(set(saved), {g["slug"] for g in GOLDEN} | NEW)
        for golden in GOLDEN:
            with self.subTest(golden["slug"]):
                s = saved[golden["slug"]]
                self.assertEqual(s.assumption_set.key, golden["assumption_set"])
                self.assertEqual(s.query, golden["query"])
                self.assertEqual(s.figures, golden["figures"])
                for name in ("migration_from", "migration_to", "rewrite_effort_weeks"):
                    self.assertEqual(getattr(s, name), golden[name])
                for name in ("rewrite_months", "overlap_months"):
                    self.assertEqual(getattr(s, name), golden[name])
                for name in WORDS:
                    self.assertEqual(getattr(s, name), golden[name], name)
        # The gallery's order is unchanged, the what-if right after the case it varies.
        order = list(
            Scenario.objects.filter(is_example=True)
            .order_by("example_order")
            .values_list("slug", flat=True)
        )
        self.assertEqual([s for s in order if s not in NEW], [g["slug"] for g in GOLDEN])
        self.assertEqual(order.index("fintech-hybrid-at-140k-rps"), 1)

    def test_the_fintech_case_reports_the_articles_fleet_and_says_what_changed(self):
        s = Scenario.objects.get(slug="fintech-hybrid")
        self.assertEqual(s.reported["containers"], 12)
        self.assertEqual(s.reported["throughput_after_rps"], 140000)
        self.assertIn("1,812 requests per second", s.narrative)
        self.assertIn("1,800", s.narrative)
        self.assertIn("What changed on 2 December 2026", s.narrative)
        self.assertEqual(s.assumption_set.key, "seed-article-2026@2")

    def test_the_fintech_case_says_what_the_platform_lines_explain_of_the_42000(self):
        # The case under version 4 of its set with the platform lines at their stated sizes:
        # the narrative's figures are these, month 1 of the Express-only fleet.
        case = examples.by_name()["fintech-hybrid"]
        document = case.document()
        document["assumption_set"] = {"slug": "seed-article-2026", "version": 4}
        for line in ("database", "cache", "load_balancers", "egress", "observability"):
            del document["inputs"][line]  # the page's defaults: every line on
        express = resolve(parse(document)).compute().options[0]
        compute = float(express.categories["infrastructure"][0])
        platform = float(express.categories["platform"][0])
        reported = case.data["reported"]["before"]
        s = Scenario.objects.get(slug="fintech-hybrid")
        for figure in (
            f"${compute:,.0f} of compute and ${platform:,.0f} of platform",
            f"${compute + platform:,.0f}, {(compute + platform) / reported:.1%} of the reported "
            f"${reported:,.0f}",
            f"explain ${platform:,.0f} of it ({platform / reported:.1%})",
            f"the other ${reported - compute - platform:,.0f} a month",
        ):
            self.assertIn(figure, s.narrative)
        docs = " ".join((settings.BASE_DIR / "docs" / "api.md").read_text().split())
        self.assertIn(
            f"${compute:,.0f} of compute and ${platform:,.0f} of platform: "
            f"${compute + platform:,.0f}, {(compute + platform) / reported:.1%} of the reported",
            docs,
        )

    def test_running_it_again_adds_and_changes_nothing(self):
        before = list(Scenario.objects.values())
        call_command("load_examples", stdout=io.StringIO())
        self.assertEqual(list(Scenario.objects.values()), before)

    def test_the_traffic_is_what_the_reported_12_containers_carry(self):
        c = compute_scenario(Scenario.objects.get(slug="fintech-hybrid"))
        express = c.result.options[0]
        self.assertEqual(findings.containers(express), 12)
        self.assertEqual(round(findings.capacity(c, express, 12)), 1812)
        self.assertLess(findings.capacity(c, express, 11), c.result.inputs.peak_rps)
        reported = examples.by_name()["fintech-hybrid"].reported
        explanation = " ".join(findings.reported_explanation(c, reported))
        self.assertIn("at most 1,812 requests per second", explanation)

    def test_the_what_if_is_the_case_at_140000_rps(self):
        case, what_if = (examples.by_name()[n].data for n in CASE_AND_WHAT_IF)
        self.assertEqual(
            {**what_if["inputs"], "peak_rps": case["inputs"]["peak_rps"]}, case["inputs"]
        )
        self.assertEqual(what_if["options"], case["options"])
        self.assertEqual(what_if["migration"], case["migration"])
        self.assertEqual(what_if["inputs"]["peak_rps"], case["reported"]["throughput_after_rps"])
        s = Scenario.objects.get(slug="fintech-hybrid-at-140k-rps")
        self.assertIn("the reported 12 carry at most 1,812", s.finding)


class OneFintechStoryTests(ExamplesLoaded):
    """The same figures through the gallery page, the API, `tco --example` and docs/api.md."""

    def test_gallery_api_tco_and_docs_agree(self):
        saved = Scenario.objects.get(slug="fintech-hybrid")
        gallery = {o["name"]: o for o in saved.figures["options"]}
        gallery_migration = saved.figures["migration"]
        page = self.client.get("/s/fintech-hybrid/").content.decode()

        document = examples.by_name()["fintech-hybrid"].document()
        api = self.client.post(
            "/api/v1/calculate", data=json.dumps(document), content_type="application/json"
        ).json()
        read_back = self.client.get("/api/v1/scenarios/fintech-hybrid").json()
        cli = json.loads(tco("--example", "fintech-hybrid", "--format", "json"))
        table = tco("--example", "fintech-hybrid")
        docs = (settings.BASE_DIR / "docs" / "api.md").read_text()

        self.assertEqual(api, cli)
        self.assertEqual(read_back["results"]["options"], api["options"])
        self.assertEqual(read_back["migration"]["saving"], api["migration"]["saving"])
        for option in api["options"]:
            mine = gallery[option["name"]]
            self.assertEqual(option["horizon_total"], round(mine["horizon_total"], 2))
            self.assertEqual(option["break_even_month"], mine["break_even_month"])
            self.assertIn(money(mine["horizon_total"]), page)
            self.assertIn(money(mine["horizon_total"]), table)
            self.assertIn(money(mine["horizon_total"]), docs)
        migration = api["migration"]
        self.assertEqual(migration["break_even_month"], gallery_migration["break_even_month"])
        self.assertEqual(migration["staying_total"], round(gallery_migration["staying_total"], 2))
        self.assertEqual(
            migration["migrating_total"], round(gallery_migration["migrating_total"], 2)
        )
        self.assertIn(money(migration["migrating_total"]), docs)
        # docs/api.md shows the command's table for it exactly as the command prints it.
        self.assertIn(table.strip(), docs)

    def test_docs_api_md_quotes_no_other_fintech_case(self):
        docs = (settings.BASE_DIR / "docs" / "api.md").read_text()
        self.assertNotIn("docs/examples", docs)
        self.assertIsNone(re.search(r"Go 75%|75/20/5", docs))
