/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-repository"

#include "config.h"

#include "pdm-error.h"
#include "pdm-repository.h"
#include "pdm-test-util.h"

typedef PdmTestReplica Fixture;

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pdm_test_query_int (pdm_database_get_handle (fixture->database), sql);
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  return pdm_test_query_text (pdm_database_get_handle (fixture->database), sql);
}

static PdmRecord *
new_household (void)
{
  PdmRecord *household = pdm_record_new (PDM_TABLE_HOUSEHOLD);

  pdm_record_set (household, "kk_number", "1375021203150004");
  pdm_record_set (household, "head_name", "Syafri Yanto");
  pdm_record_set (household, "address", "Jl. Soekarno-Hatta No. 12");
  pdm_record_set (household, "rt", "002");
  pdm_record_set (household, "rw", "004");
  pdm_record_set (household, "kelurahan_code", "13.75.02.1002");
  pdm_record_set_int (household, "desil", 2);
  pdm_record_set (household, "programs", "BPNT,PKH");

  return household;
}

static void
test_insert_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PdmRecord) household = new_household ();
  g_autoptr(PdmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
  g_assert_no_error (error);

  /* A device-made, time-ordered key, never the KK. */
  g_assert_true (g_uuid_string_is_valid (household->id));
  g_assert_cmpint (household->id[14], ==, '7');

  stored = pdm_repository_get (fixture->repository, PDM_TABLE_HOUSEHOLD, household->id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < household->info->n_fields; i++)
    g_assert_cmpstr (stored->values[i], ==, household->values[i]);
  g_assert_false (pdm_record_is_deleted (stored));

  /* One outbox row: the whole record. */
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT fields IS NULL FROM outbox"), ==, 1);
}

static void
test_update_records_changed_fields (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(PdmRecord) household = new_household ();
  g_autoptr(GError) error = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *address_stamp = NULL;
  g_autofree char *name_stamp = NULL;
  guint n_changed = 0;

  g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
  pdm_record_set (household, "address", "Jl. Soekarno-Hatta No. 14");
  pdm_record_set_int (household, "desil", 3);
  g_assert_true (pdm_repository_update (fixture->repository, household, &n_changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 2);

  fields = query_text (fixture, "SELECT fields FROM outbox ORDER BY hlc DESC LIMIT 1");
  g_assert_cmpstr (fields, ==, "[\"address\",\"desil\"]");

  /* The edited field carries a newer stamp; the others keep the insert's. */
  address_stamp = pdm_repository_get_field_stamp (fixture->repository, PDM_TABLE_HOUSEHOLD,
                                                  household->id, "address", NULL, &error);
  name_stamp = pdm_repository_get_field_stamp (fixture->repository, PDM_TABLE_HOUSEHOLD,
                                               household->id, "head_name", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (address_stamp, >, name_stamp);
}

static void
test_update_without_change_records_nothing (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(PdmRecord) household = new_household ();
  g_autoptr(GError) error = NULL;
  guint n_changed = 99;

  g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
  g_assert_true (pdm_repository_update (fixture->repository, household, &n_changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 0);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 1);
}

static void
test_delete_and_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdmRecord) household = new_household ();
  g_autoptr(PdmRecord) deleted = NULL;
  g_autoptr(PdmRecord) restored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
  g_assert_true (pdm_repository_delete (fixture->repository, PDM_TABLE_HOUSEHOLD,
                                        household->id, &error));
  g_assert_no_error (error);
  deleted = pdm_repository_get (fixture->repository, PDM_TABLE_HOUSEHOLD, household->id, NULL);
  g_assert_true (pdm_record_is_deleted (deleted));
  /* A tombstone keeps the data, so undo brings all of it back. */
  g_assert_cmpstr (pdm_record_get (deleted, "head_name"), ==, "Syafri Yanto");

  g_assert_true (pdm_repository_restore (fixture->repository, PDM_TABLE_HOUSEHOLD,
                                         household->id, &error));
  restored = pdm_repository_get (fixture->repository, PDM_TABLE_HOUSEHOLD, household->id, NULL);
  g_assert_false (pdm_record_is_deleted (restored));
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 3);
}

static void
test_missing_record (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdmRecord) household = new_household ();
  g_autoptr(GError) error = NULL;

  household->id = g_strdup ("0190d0a4-0000-7000-8000-000000000000");
  g_assert_false (pdm_repository_update (fixture->repository, household, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 0);
}

static void
test_failed_insert_leaves_nothing (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(PdmRecord) household = new_household ();
  g_autoptr(PdmRecord) twin = new_household ();
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
  twin->id = g_strdup (household->id);
  g_assert_false (pdm_repository_insert (fixture->repository, twin, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_DATABASE);

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM household"), ==, 1);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 1);
}

static void
test_rollback_of_a_batch (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_begin (fixture->repository, &error));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PdmRecord) household = new_household ();

      g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
    }
  pdm_repository_rollback (fixture->repository);

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM household"), ==, 0);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 0);
}

/* An edit of a field whose earlier local edit never left the device keeps
 * that edit's base: nobody else saw the intermediate value. */
static void
test_base_of_unpushed_edits (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PdmRecord) household = new_household ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *pushed_stamp = NULL;

  g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
  pdm_record_set (household, "address", "Jl. Panorama No. 1");
  g_assert_true (pdm_repository_update (fixture->repository, household, NULL, &error));
  pdm_record_set (household, "address", "Jl. Panorama No. 2");
  g_assert_true (pdm_repository_update (fixture->repository, household, NULL, &error));

  stamp = pdm_repository_get_field_stamp (fixture->repository, PDM_TABLE_HOUSEHOLD,
                                          household->id, "address", &base, &error);
  g_assert_no_error (error);
  g_assert_null (base);

  /* Once pushed (the outbox emptied), the next edit's base is that value. */
  g_assert_true (pdm_repository_clear_outbox (fixture->repository, G_MAXINT64, &error));
  pushed_stamp = g_steal_pointer (&stamp);
  pdm_record_set (household, "address", "Jl. Panorama No. 3");
  g_assert_true (pdm_repository_update (fixture->repository, household, NULL, &error));
  stamp = pdm_repository_get_field_stamp (fixture->repository, PDM_TABLE_HOUSEHOLD,
                                          household->id, "address", &base, &error);
  g_assert_cmpstr (base, ==, pushed_stamp);
  g_assert_cmpstr (stamp, >, pushed_stamp);
}

/* The clock survives a restart even when the wall clock went back. */
static void
test_clock_persists (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdmRecord) first = new_household ();
  g_autoptr(PdmRecord) second = new_household ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first_stamp = NULL;
  g_autofree char *second_stamp = NULL;
  guint64 device_id = pdm_repository_get_device_id (fixture->repository);
  sqlite3 *db = pdm_database_get_handle (fixture->database);

  g_assert_true (pdm_repository_insert (fixture->repository, first, &error));
  /* As if the last write had happened a day in the future. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE replica SET last_hlc = last_hlc + (86400000 << 16)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  pdm_test_replica_close (fixture);
  pdm_test_replica_open (fixture);

  g_assert_cmpuint (pdm_repository_get_device_id (fixture->repository), ==, device_id);
  g_assert_true (pdm_repository_insert (fixture->repository, second, &error));
  first_stamp = query_text (fixture, "SELECT _created FROM household ORDER BY _created LIMIT 1");
  second_stamp = query_text (fixture, "SELECT _created FROM household ORDER BY _created DESC LIMIT 1");
  g_assert_cmpstr (second_stamp, >, first_stamp);
  g_assert_cmpint (query_int (fixture, "SELECT max(hlc) FROM outbox") >> 16, >,
                   g_get_real_time () / 1000 + 3600 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, pdm_test_replica_set_up, func, \
              pdm_test_replica_tear_down)

  ADD ("/repository/insert/round-trip", test_insert_round_trip);
  ADD ("/repository/update/changed-fields", test_update_records_changed_fields);
  ADD ("/repository/update/no-change", test_update_without_change_records_nothing);
  ADD ("/repository/update/missing", test_missing_record);
  ADD ("/repository/delete/undo", test_delete_and_undo);
  ADD ("/repository/atomic/failed-insert", test_failed_insert_leaves_nothing);
  ADD ("/repository/atomic/rollback", test_rollback_of_a_batch);
  ADD ("/repository/clock/base-of-unpushed", test_base_of_unpushed_edits);
  ADD ("/repository/clock/persists", test_clock_persists);

#undef ADD

  return g_test_run ();
}
