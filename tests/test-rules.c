/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-rules"

#include "config.h"

#include "pdm-error.h"
#include "pdm-rules.h"
#include "pdm-test-util.h"

typedef struct
{
  char          *dir;
  PdmDatabase   *database;
  PdmRepository *repository;
  GPtrArray     *warnings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = pdm_test_make_tmp_dir ();
  path = g_build_filename (fixture->dir, "pendamping.db", NULL);
  fixture->database = pdm_database_open (path, &error);
  g_assert_no_error (error);
  fixture->repository = pdm_repository_new (fixture->database, &error);
  g_assert_no_error (error);
  fixture->warnings = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->warnings, g_ptr_array_unref);
  g_clear_object (&fixture->repository);
  g_clear_object (&fixture->database);
  pdm_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static PdmRecord *
save_household (Fixture *fixture)
{
  PdmRecord *household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(GError) error = NULL;

  pdm_record_set (household, "kk_number", "1375021203150004");
  pdm_record_set (household, "head_name", "  Syafri   Yanto ");
  pdm_record_set (household, "rt", "2");
  pdm_record_set (household, "rw", " 14");
  pdm_record_set (household, "kelurahan_code", "13.75.02.1002");
  pdm_record_set (household, "desil", "3");
  pdm_record_set (household, "programs", "pkh; Sembako, PBI JK, PKH");
  g_assert_true (pdm_rules_save (fixture->repository, household, fixture->warnings, NULL,
                                 &error));
  g_assert_no_error (error);

  return household;
}

static PdmRecord *
new_person (const char *household_id,
            const char *nik,
            const char *name)
{
  PdmRecord *person = pdm_record_new (PDM_TABLE_PERSON);

  pdm_record_set (person, "household_id", household_id);
  pdm_record_set (person, "nik", nik);
  pdm_record_set (person, "full_name", name);
  pdm_record_set (person, "relationship", "istri");

  return person;
}

static void
test_household_normalised (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) stored = pdm_repository_get (fixture->repository, PDM_TABLE_HOUSEHOLD,
                                                    household->id, NULL);

  g_assert_cmpstr (pdm_record_get (stored, "head_name"), ==, "Syafri Yanto");
  g_assert_cmpstr (pdm_record_get (stored, "rt"), ==, "002");
  g_assert_cmpstr (pdm_record_get (stored, "rw"), ==, "014");
  g_assert_cmpstr (pdm_record_get (stored, "programs"), ==, "BPNT,PBI-JK,PKH");
  g_assert_cmpstr (pdm_record_get (stored, "status"), ==, "aktif");
  g_assert_cmpuint (fixture->warnings->len, ==, 0);
}

/* A refused record names its field and leaves the database as it was. */
static void
assert_refused (Fixture    *fixture,
                PdmRecord  *record,
                const char *expected_field,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  guint outbox_before = pdm_repository_count_outbox (fixture->repository);

  g_assert_false (pdm_rules_save (fixture->repository, record, NULL, &field, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == PDM_ERROR);
  g_assert_cmpstr (field, ==, expected_field);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, outbox_before);
}

static void
test_household_refusals (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) mangled = pdm_record_copy (household);
  g_autoptr(PdmRecord) elsewhere = pdm_record_copy (household);
  g_autoptr(PdmRecord) desil = pdm_record_copy (household);

  pdm_record_set (mangled, "kk_number", "1,37502E+15");
  assert_refused (fixture, mangled, "kk_number", "KK");

  pdm_record_set (elsewhere, "kelurahan_code", "13.71.01.1001");
  assert_refused (fixture, elsewhere, "kelurahan_code", "13.71.01.1001");

  pdm_record_set (desil, "desil", "11");
  assert_refused (fixture, desil, "desil", "Desil");
}

static void
test_person_nik_against_birth_date (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) person = new_person (household->id, "1375024401940001", "Yusmaniar");

  /* The NIK says 4 January 1994 (a woman: day 44); the form says 1995. */
  pdm_record_set (person, "birth_date", "04/01/1995");
  assert_refused (fixture, person, "nik", "NIK");
  g_assert_cmpint (pdm_repository_count_outbox (fixture->repository), ==, 1);
}

static void
test_person_filled_from_nik (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) person = new_person (household->id, "1375024401940001", "Yusmaniar");
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_rules_save (fixture->repository, person, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (person, "birth_date"), ==, "1994-01-04");
  g_assert_cmpstr (pdm_record_get (person, "sex"), ==, "P");
  g_assert_cmpstr (pdm_record_get (person, "relationship"), ==, "Istri");
}

static void
test_duplicate_nik_names_the_other (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) first = new_person (household->id, "1375024401940001", "Yusmaniar");
  g_autoptr(PdmRecord) second = new_person (household->id, "1375024401940001", "Yusma");
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  g_assert_true (pdm_rules_save (fixture->repository, first, NULL, NULL, &error));
  g_assert_false (pdm_rules_save (fixture->repository, second, NULL, &field, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_DUPLICATE);
  g_assert_cmpstr (field, ==, "nik");
  g_assert_nonnull (strstr (error->message, "Yusmaniar"));
  g_assert_nonnull (strstr (error->message, "Syafri Yanto"));

  /* Saving the same person again is an update, not a duplicate. */
  g_clear_error (&error);
  pdm_record_set (first, "disability", "tunanetra");
  g_assert_true (pdm_rules_save (fixture->repository, first, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_possible_duplicate_warned (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) first = new_person (household->id, NULL, "Siti Aminah");
  g_autoptr(PdmRecord) second = new_person (household->id, NULL, "SITI AMINAH ");
  g_autoptr(GError) error = NULL;

  pdm_record_set (first, "birth_date", "1980-05-17");
  pdm_record_set (second, "birth_date", "17/05/1980");
  g_assert_true (pdm_rules_save (fixture->repository, first, fixture->warnings, NULL, &error));
  g_assert_cmpuint (fixture->warnings->len, ==, 0);
  g_assert_true (pdm_rules_save (fixture->repository, second, fixture->warnings, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->warnings, 0), "Siti Aminah"));
}

static void
test_visit_rules (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) visit = pdm_record_new (PDM_TABLE_VISIT);
  g_autoptr(PdmRecord) odd_kind = NULL;
  g_autoptr(GError) error = NULL;

  pdm_record_set (visit, "household_id", household->id);
  pdm_record_set (visit, "visit_date", "25/11/2026");
  pdm_record_set (visit, "kind", "Rujukan");
  pdm_record_set (visit, "follow_up_date", "20/11/2026");
  odd_kind = pdm_record_copy (visit);

  assert_refused (fixture, visit, "follow_up_date", "follow-up");

  pdm_record_set (odd_kind, "follow_up_date", NULL);
  pdm_record_set (odd_kind, "kind", "arisan");
  assert_refused (fixture, odd_kind, "kind", "arisan");

  pdm_record_set (visit, "follow_up_date", "02/12/2026");
  g_assert_true (pdm_rules_save (fixture->repository, visit, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (visit, "kind"), ==, "rujukan");
  g_assert_cmpstr (pdm_record_get (visit, "visit_date"), ==, "2026-11-25");
}

static void
test_volunteer_rules (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdmRecord) volunteer = pdm_record_new (PDM_TABLE_VOLUNTEER);
  g_autoptr(GError) error = NULL;

  pdm_record_set (volunteer, "full_name", "Rahmat Hidayat");
  pdm_record_set (volunteer, "phone", "+62 812-6677-8899");
  pdm_record_set (volunteer, "kelurahan_code", "13.75.03.1006");
  g_assert_true (pdm_rules_save (fixture->repository, volunteer, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (volunteer, "phone"), ==, "081266778899");
  g_assert_cmpstr (pdm_record_get (volunteer, "status"), ==, "aktif");
}

static void
test_proposal_rules (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdmRecord) household = save_household (fixture);
  g_autoptr(PdmRecord) proposal = pdm_record_new (PDM_TABLE_PROPOSAL);
  g_autoptr(PdmRecord) unknown_field = NULL;
  g_autoptr(PdmRecord) anonymous = NULL;
  g_autoptr(GError) error = NULL;

  pdm_record_set (proposal, "target_table", "household");
  pdm_record_set (proposal, "target_id", household->id);
  pdm_record_set (proposal, "field", "address");
  pdm_record_set (proposal, "new_value", "Jl. Panorama No. 4");
  pdm_record_set (proposal, "reason", "Pindah rumah dalam kelurahan yang sama");
  pdm_record_set (proposal, "proposer", "  Yusniar   Hayati ");
  unknown_field = pdm_record_copy (proposal);
  anonymous = pdm_record_copy (proposal);

  g_assert_true (pdm_rules_save (fixture->repository, proposal, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (proposal, "status"), ==, "diajukan");
  g_assert_cmpstr (pdm_record_get (proposal, "proposer"), ==, "Yusniar Hayati");

  pdm_record_set (anonymous, "proposer", " ");
  assert_refused (fixture, anonymous, "proposer", "Proposed by");

  pdm_record_set (unknown_field, "field", "salary");
  g_clear_pointer (&unknown_field->id, g_free);
  assert_refused (fixture, unknown_field, "field", "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/rules/household/normalised", test_household_normalised);
  ADD ("/rules/household/refused", test_household_refusals);
  ADD ("/rules/person/nik-birth-date", test_person_nik_against_birth_date);
  ADD ("/rules/person/filled-from-nik", test_person_filled_from_nik);
  ADD ("/rules/person/duplicate-nik", test_duplicate_nik_names_the_other);
  ADD ("/rules/person/possible-duplicate", test_possible_duplicate_warned);
  ADD ("/rules/visit", test_visit_rules);
  ADD ("/rules/volunteer", test_volunteer_rules);
  ADD ("/rules/proposal", test_proposal_rules);

#undef ADD

  return g_test_run ();
}
