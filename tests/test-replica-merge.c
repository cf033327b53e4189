/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-replica-merge"

#include "config.h"

#include "pdm-error.h"
#include "pdm-repository.h"
#include "pdm-test-util.h"

/* Two devices, each with its own database file, exchanging their outboxes
 * the way sync will. */
typedef struct
{
  char          *dir;
  PdmDatabase   *databases[2];
  PdmRepository *devices[2];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = pdm_test_make_tmp_dir ();

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("device-%u.db", i);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(GError) error = NULL;

      fixture->databases[i] = pdm_database_open (path, &error);
      g_assert_no_error (error);
      fixture->devices[i] = pdm_repository_new (fixture->databases[i], &error);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&fixture->devices[i]);
      g_clear_object (&fixture->databases[i]);
    }
  pdm_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static PdmRecord *
shared_household (Fixture *fixture)
{
  PdmRecord *household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(GError) error = NULL;

  pdm_record_set (household, "kk_number", "1375031505100002");
  pdm_record_set (household, "head_name", "Nurhayati");
  pdm_record_set (household, "address", "Jl. Birugo Puhun No. 3");
  pdm_record_set (household, "kelurahan_code", "13.75.03.1002");
  pdm_record_set_int (household, "desil", 1);
  g_assert_true (pdm_repository_insert (fixture->devices[0], household, &error));
  g_assert_no_error (error);

  /* Both devices start from the same household. */
  g_assert_cmpuint (pdm_test_send_all (fixture->devices[0], fixture->devices[1]), >, 0);

  return household;
}

static PdmRecord *
get (Fixture    *fixture,
     guint       device,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  PdmRecord *record;

  record = pdm_repository_get (fixture->devices[device], PDM_TABLE_HOUSEHOLD, id, &error);
  g_assert_no_error (error);

  return record;
}

static void
edit (Fixture    *fixture,
      guint       device,
      const char *id,
      const char *field,
      const char *value)
{
  g_autoptr(PdmRecord) record = get (fixture, device, id);
  g_autoptr(GError) error = NULL;

  pdm_record_set (record, field, value);
  g_assert_true (pdm_repository_update (fixture->devices[device], record, NULL, &error));
  g_assert_no_error (error);
}

static void
test_remote_insert_arrives_whole (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);
  g_autoptr(PdmRecord) copy = get (fixture, 1, household->id);

  for (guint i = 0; i < household->info->n_fields; i++)
    g_assert_cmpstr (copy->values[i], ==, household->values[i]);
  /* Applying a remote change is not a local write: nothing to send back. */
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->devices[1]), ==, 0);
}

static void
test_different_fields_both_kept (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);

  /* Offline on both devices: one fixes the address, the other the desil. */
  edit (fixture, 0, household->id, "address", "Jl. Birugo Puhun No. 5");
  edit (fixture, 1, household->id, "desil", "2");
  pdm_test_send_all (fixture->devices[0], fixture->devices[1]);
  pdm_test_send_all (fixture->devices[1], fixture->devices[0]);

  for (guint device = 0; device < 2; device++)
    {
      g_autoptr(PdmRecord) record = get (fixture, device, household->id);
      g_autoptr(GPtrArray) conflicts = NULL;

      g_assert_cmpstr (pdm_record_get (record, "address"), ==, "Jl. Birugo Puhun No. 5");
      g_assert_cmpstr (pdm_record_get (record, "desil"), ==, "2");
      conflicts = pdm_repository_list_conflicts (fixture->devices[device], PDM_TABLE_HOUSEHOLD,
                                                 household->id, "address", NULL);
      g_assert_cmpuint (conflicts->len, ==, 0);
    }
}

static void
test_same_field_one_winner_loser_kept (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);
  g_autoptr(PdmRecord) on_first = NULL;
  g_autoptr(PdmRecord) on_second = NULL;

  edit (fixture, 0, household->id, "head_name", "Nurhayati Koto");
  edit (fixture, 1, household->id, "head_name", "Nur Hayati");
  pdm_test_send_all (fixture->devices[0], fixture->devices[1]);
  pdm_test_send_all (fixture->devices[1], fixture->devices[0]);

  on_first = get (fixture, 0, household->id);
  on_second = get (fixture, 1, household->id);
  g_assert_cmpstr (pdm_record_get (on_first, "head_name"), ==,
                   pdm_record_get (on_second, "head_name"));

  /* The value that lost is in the conflict list on both devices. */
  for (guint device = 0; device < 2; device++)
    {
      g_autoptr(PdmRecord) record = get (fixture, device, household->id);
      g_autoptr(GPtrArray) conflicts = NULL;
      const PdmVersion *loser;
      const char *winner = pdm_record_get (record, "head_name");

      conflicts = pdm_repository_list_conflicts (fixture->devices[device], PDM_TABLE_HOUSEHOLD,
                                                 household->id, "head_name", NULL);
      g_assert_cmpuint (conflicts->len, ==, 1);
      loser = g_ptr_array_index (conflicts, 0);
      g_assert_cmpstr (loser->value, !=, winner);
      g_assert_true (g_str_equal (loser->value, "Nurhayati Koto") ||
                     g_str_equal (loser->value, "Nur Hayati"));
    }
}

/* Writing the field again, as a person picking a value does, resolves the
 * kept conflict here and, once synced, on the other device too. */
static void
test_edit_resolves_conflict (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);

  edit (fixture, 0, household->id, "head_name", "Nurhayati Koto");
  edit (fixture, 1, household->id, "head_name", "Nur Hayati");
  pdm_test_send_all (fixture->devices[0], fixture->devices[1]);
  pdm_test_send_all (fixture->devices[1], fixture->devices[0]);

  edit (fixture, 0, household->id, "head_name", "Nurhayati");
  pdm_test_send_all (fixture->devices[0], fixture->devices[1]);

  for (guint device = 0; device < 2; device++)
    {
      g_autoptr(PdmRecord) record = get (fixture, device, household->id);
      g_autoptr(GPtrArray) conflicts = NULL;

      g_assert_cmpstr (pdm_record_get (record, "head_name"), ==, "Nurhayati");
      conflicts = pdm_repository_list_conflicts (fixture->devices[device], PDM_TABLE_HOUSEHOLD,
                                                 household->id, "head_name", NULL);
      g_assert_cmpuint (conflicts->len, ==, 0);
    }
}

/* Keeping the winning value from the inbox is a write as well: without it
 * the other device would keep showing the conflict. */
static void
test_keep_winner_resolves_conflict (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *winner = NULL;

  edit (fixture, 0, household->id, "address", "Jl. Sapiran No. 1");
  edit (fixture, 1, household->id, "address", "Jl. Sapiran No. 10");
  pdm_test_send_all (fixture->devices[0], fixture->devices[1]);
  pdm_test_send_all (fixture->devices[1], fixture->devices[0]);

  fields = pdm_repository_list_conflicted_fields (fixture->devices[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpstr (((PdmChange *) g_ptr_array_index (fields, 0))->field, ==, "address");

  record = get (fixture, 1, household->id);
  winner = g_strdup (pdm_record_get (record, "address"));
  g_assert_true (pdm_repository_resolve_conflict (fixture->devices[1], PDM_TABLE_HOUSEHOLD,
                                                  household->id, "address", winner, &error));
  g_assert_no_error (error);
  pdm_test_send_all (fixture->devices[1], fixture->devices[0]);

  for (guint device = 0; device < 2; device++)
    {
      g_autoptr(PdmRecord) after = get (fixture, device, household->id);
      g_autoptr(GPtrArray) conflicts = NULL;

      g_assert_cmpstr (pdm_record_get (after, "address"), ==, winner);
      conflicts = pdm_repository_list_conflicts (fixture->devices[device], PDM_TABLE_HOUSEHOLD,
                                                 household->id, "address", NULL);
      g_assert_cmpuint (conflicts->len, ==, 0);
    }
}

static void
test_edit_after_seeing_is_no_conflict (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(PdmRecord) record = NULL;

  edit (fixture, 0, household->id, "address", "Jl. Sudirman No. 1");
  pdm_test_send_all (fixture->devices[0], fixture->devices[1]);
  /* The second device saw that address, then corrected it. */
  edit (fixture, 1, household->id, "address", "Jl. Jenderal Sudirman No. 1");
  pdm_test_send_all (fixture->devices[1], fixture->devices[0]);

  record = get (fixture, 0, household->id);
  g_assert_cmpstr (pdm_record_get (record, "address"), ==, "Jl. Jenderal Sudirman No. 1");
  conflicts = pdm_repository_list_conflicts (fixture->devices[0], PDM_TABLE_HOUSEHOLD,
                                             household->id, "address", NULL);
  g_assert_cmpuint (conflicts->len, ==, 0);
}

/* Delete and edit touch different fields: the household ends deleted with
 * the edit inside, so an undo of the delete shows the corrected data. */
static void
test_delete_versus_edit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_delete (fixture->devices[0], PDM_TABLE_HOUSEHOLD,
                                        household->id, &error));
  edit (fixture, 1, household->id, "address", "Jl. Ateh Ngarai No. 9");
  pdm_test_send_all (fixture->devices[0], fixture->devices[1]);
  pdm_test_send_all (fixture->devices[1], fixture->devices[0]);

  for (guint device = 0; device < 2; device++)
    {
      g_autoptr(PdmRecord) record = get (fixture, device, household->id);

      g_assert_true (pdm_record_is_deleted (record));
      g_assert_cmpstr (pdm_record_get (record, "address"), ==, "Jl. Ateh Ngarai No. 9");
    }
}

static void
test_apply_twice_changes_nothing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;

  edit (fixture, 0, household->id, "rt", "007");
  changes = pdm_repository_collect_outbox (fixture->devices[0], G_MAXUINT, NULL, &error);
  g_assert_cmpuint (changes->len, ==, 1);

  /* A retried batch: the second delivery changes nothing. */
  for (guint round = 0; round < 2; round++)
    {
      gboolean changed = FALSE;

      g_assert_true (pdm_repository_apply_change (fixture->devices[1],
                                                  g_ptr_array_index (changes, 0),
                                                  &changed, &error));
      g_assert_no_error (error);
      g_assert_true (changed == (round == 0));
    }
}

static void
test_malformed_changes_refused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PdmRecord) household = shared_household (fixture);
  char stamp[PDM_STAMP_LEN + 1];
  g_autoptr(PdmChange) unknown_table = NULL;
  g_autoptr(PdmChange) unknown_field = NULL;
  g_autoptr(PdmChange) bad_stamp = NULL;
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  pdm_stamp_format (pdm_hlc_pack (g_get_real_time () / 1000, 0), 42, stamp);
  unknown_table = pdm_change_new ("invoice", household->id, "total", stamp, NULL, "1");
  unknown_field = pdm_change_new ("household", household->id, "password", stamp, NULL, "x");
  bad_stamp = pdm_change_new ("household", household->id, "address", "yesterday", NULL, "x");

  g_assert_false (pdm_repository_apply_change (fixture->devices[1], unknown_table, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (pdm_repository_apply_change (fixture->devices[1], unknown_field, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (pdm_repository_apply_change (fixture->devices[1], bad_stamp, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);

  record = get (fixture, 1, household->id);
  g_assert_cmpstr (pdm_record_get (record, "address"), ==, "Jl. Birugo Puhun No. 3");
}

/* A fresh device's first pull: pages of thousands of writes, mostly new
 * records, applied as one batch each (pdm-repository.c stages the new
 * records). What arrives must be what was sent, searchable, and a page
 * that was cut off (rolled back) must leave nothing behind. */
static void
test_big_batch_arrives_searchable (Fixture       *fixture,
                                   gconstpointer  data)
{
  sqlite3 *db = pdm_database_get_handle (fixture->databases[1]);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  guint64 last_hlc = 0;
  guint n_changed = 0;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(PdmRecord) person = pdm_record_new (PDM_TABLE_PERSON);
      g_autofree char *name = g_strdup_printf ("Nama%03u Warga", i);

      pdm_record_set (person, "full_name", i == 3 ? "Siti Aminah" : name);
      pdm_record_set (person, "nik", "1375034501900001");
      g_assert_true (pdm_repository_insert (fixture->devices[0], person, &error));
      g_assert_no_error (error);
      g_ptr_array_add (ids, g_strdup (person->id));
    }

  /* Written again after the others: the record comes twice in the batch. */
  {
    g_autoptr(PdmRecord) renamed = pdm_repository_get (fixture->devices[0], PDM_TABLE_PERSON,
                                                        g_ptr_array_index (ids, 5), &error);

    g_assert_no_error (error);
    pdm_record_set (renamed, "full_name", "Rahmat Hidayat");
    g_assert_true (pdm_repository_update (fixture->devices[0], renamed, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (pdm_repository_delete (fixture->devices[0], PDM_TABLE_PERSON,
                                          g_ptr_array_index (ids, 7), &error));
    g_assert_no_error (error);
  }

  changes = pdm_repository_collect_outbox (fixture->devices[0], G_MAXUINT, &last_hlc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, >, 1000);

  /* Cut off before its commit, as a kill would. */
  g_assert_true (pdm_repository_begin (fixture->devices[1], &error));
  g_assert_true (pdm_repository_apply_changes (fixture->devices[1], changes, NULL, &error));
  g_assert_no_error (error);
  pdm_repository_rollback (fixture->devices[1]);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person"), ==, 0);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person_fts "
                                           "WHERE person_fts MATCH 'siti'"), ==, 0);

  /* The next try takes it whole. */
  g_assert_true (pdm_repository_apply_changes (fixture->devices[1], changes, &n_changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, changes->len);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person"), ==, 200);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PdmRecord) sent = pdm_repository_get (fixture->devices[0], PDM_TABLE_PERSON,
                                                      g_ptr_array_index (ids, i), &error);
      g_autoptr(PdmRecord) received = pdm_repository_get (fixture->devices[1], PDM_TABLE_PERSON,
                                                          g_ptr_array_index (ids, i), &error);
      g_autofree char *sent_stamp = NULL;
      g_autofree char *received_stamp = NULL;

      g_assert_no_error (error);
      for (guint f = 0; f < sent->info->n_fields; f++)
        g_assert_cmpstr (received->values[f], ==, sent->values[f]);

      sent_stamp = pdm_repository_get_field_stamp (fixture->devices[0], PDM_TABLE_PERSON,
                                                   sent->id, "full_name", NULL, &error);
      received_stamp = pdm_repository_get_field_stamp (fixture->devices[1], PDM_TABLE_PERSON,
                                                       sent->id, "full_name", NULL, &error);
      g_assert_cmpstr (received_stamp, ==, sent_stamp);
    }

  /* The search index follows: the new name, not the old, and the tombstone. */
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person_fts "
                                           "WHERE person_fts MATCH 'siti'"), ==, 1);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person_fts "
                                           "WHERE person_fts MATCH 'rahmat'"), ==, 1);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person_fts "
                                           "WHERE person_fts MATCH 'nama005'"), ==, 0);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person_fts "
                                           "WHERE person_fts MATCH 'warga'"), ==, 198);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person_fts "
                                           "WHERE person_fts MATCH 'deleted:1'"), ==, 1);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO person_fts (person_fts) "
                                     "VALUES ('integrity-check')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/replica-merge/remote-insert", test_remote_insert_arrives_whole);
  ADD ("/replica-merge/different-fields", test_different_fields_both_kept);
  ADD ("/replica-merge/same-field", test_same_field_one_winner_loser_kept);
  ADD ("/replica-merge/seen-then-edited", test_edit_after_seeing_is_no_conflict);
  ADD ("/replica-merge/edit-resolves-conflict", test_edit_resolves_conflict);
  ADD ("/replica-merge/keep-winner", test_keep_winner_resolves_conflict);
  ADD ("/replica-merge/delete-versus-edit", test_delete_versus_edit);
  ADD ("/replica-merge/idempotent", test_apply_twice_changes_nothing);
  ADD ("/replica-merge/malformed", test_malformed_changes_refused);
  ADD ("/replica-merge/big-batch-searchable", test_big_batch_arrives_searchable);

#undef ADD

  return g_test_run ();
}
