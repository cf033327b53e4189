/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-merge"

#include "config.h"

#include <string.h>

#include "pdm-hlc.h"
#include "pdm-merge.h"

#define DEVICE_A 0xa
#define DEVICE_B 0xb
#define DEVICE_C 0xc

/* 2025-11-25 08:00:00 UTC. */
#define NOW_MS G_GINT64_CONSTANT (1764057600000)
#define HOUR_MS G_GINT64_CONSTANT (3600000)

#define N_HISTORIES    1000
#define MAX_VERSIONS   40
#define N_PERMUTATIONS 8

static char *
make_stamp (gint64  wall_ms,
            guint64 device_id)
{
  char *stamp = g_malloc (PDM_STAMP_LEN + 1);

  pdm_stamp_format (pdm_hlc_pack (wall_ms, 0), device_id, stamp);

  return stamp;
}

static PdmFieldState *
merge_all (GPtrArray *versions)
{
  PdmFieldState *state = pdm_field_state_new ();

  for (guint i = 0; i < versions->len; i++)
    pdm_field_state_merge (state, g_ptr_array_index (versions, i));

  return state;
}

static void
swap_items (GPtrArray *array,
            guint      i,
            guint      j)
{
  gpointer tmp = array->pdata[i];

  array->pdata[i] = array->pdata[j];
  array->pdata[j] = tmp;
}

static void
merge_permutations (GPtrArray      *versions,
                    guint           k,
                    PdmFieldState **first)
{
  if (k == versions->len)
    {
      PdmFieldState *state = merge_all (versions);

      if (*first == NULL)
        *first = state;
      else
        {
          g_assert_true (pdm_field_state_equal (state, *first));
          pdm_field_state_free (state);
        }
      return;
    }

  for (guint i = k; i < versions->len; i++)
    {
      swap_items (versions, k, i);
      merge_permutations (versions, k + 1, first);
      swap_items (versions, k, i);
    }
}

/* The state of a few versions, checked to be the same in every order. */
static PdmFieldState *
merge_in_every_order (PdmVersion *first,
                      ...)
{
  g_autoptr(GPtrArray) versions = g_ptr_array_new ();
  PdmFieldState *state = NULL;
  va_list args;

  va_start (args, first);
  for (PdmVersion *v = first; v != NULL; v = va_arg (args, PdmVersion *))
    g_ptr_array_add (versions, v);
  va_end (args);

  merge_permutations (versions, 0, &state);

  return state;
}

static gboolean
state_has (const PdmFieldState *state,
           const char          *stamp)
{
  const PdmVersion *winner = pdm_field_state_get_winner (state);

  if (winner != NULL && strcmp (winner->stamp, stamp) == 0)
    return TRUE;

  for (guint i = 0; i < pdm_field_state_get_n_conflicts (state); i++)
    if (strcmp (pdm_field_state_get_conflict (state, i)->stamp, stamp) == 0)
      return TRUE;

  return FALSE;
}

/* --- hand-written cases ---------------------------------------------------- */

/* The value every device had before they went offline. */
typedef struct
{
  char       *s0;
  PdmVersion *v0;
} Synced;

static void
synced_setup (Synced        *synced,
              gconstpointer  data)
{
  synced->s0 = make_stamp (NOW_MS, DEVICE_A);
  synced->v0 = pdm_version_new (synced->s0, NULL, "Siti");
}

static void
synced_teardown (Synced        *synced,
                 gconstpointer  data)
{
  g_clear_pointer (&synced->s0, g_free);
  g_clear_pointer (&synced->v0, pdm_version_free);
}

static void
test_offline_edits_conflict (Synced        *synced,
                             gconstpointer  data)
{
  g_autofree char *sa = make_stamp (NOW_MS + 100, DEVICE_A);
  g_autofree char *sb = make_stamp (NOW_MS + 200, DEVICE_B);
  g_autoptr(PdmVersion) a1 = pdm_version_new (sa, synced->s0, "Siti Aminah");
  g_autoptr(PdmVersion) b1 = pdm_version_new (sb, synced->s0, "Siti A.");
  g_autoptr(PdmFieldState) state = merge_in_every_order (synced->v0, a1, b1, NULL);

  g_assert_cmpstr (pdm_field_state_get_winner (state)->value, ==, "Siti A.");
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (state), ==, 1);
  g_assert_cmpstr (pdm_field_state_get_conflict (state, 0)->value, ==, "Siti Aminah");
}

static void
test_concurrent_inserts_conflict (void)
{
  g_autofree char *sa = make_stamp (NOW_MS, DEVICE_A);
  g_autofree char *sb = make_stamp (NOW_MS, DEVICE_B);
  g_autoptr(PdmVersion) a = pdm_version_new (sa, NULL, "1");
  g_autoptr(PdmVersion) b = pdm_version_new (sb, "", NULL);
  g_autoptr(PdmFieldState) state = merge_in_every_order (a, b, NULL);

  /* Same millisecond: the device id breaks the tie; NULL is a value too. */
  g_assert_null (b->base);
  g_assert_cmpstr (pdm_field_state_get_winner (state)->stamp, ==, sb);
  g_assert_null (pdm_field_state_get_winner (state)->value);
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (state), ==, 1);
  g_assert_cmpstr (pdm_field_state_get_conflict (state, 0)->value, ==, "1");
}

static void
test_seen_value_overwritten (Synced        *synced,
                             gconstpointer  data)
{
  g_autofree char *sa = make_stamp (NOW_MS + 100, DEVICE_A);
  g_autofree char *sb = make_stamp (NOW_MS + 300, DEVICE_B);
  g_autoptr(PdmVersion) a1 = pdm_version_new (sa, synced->s0, "Siti Aminah");
  /* B pulled A's edit before writing its own. */
  g_autoptr(PdmVersion) b2 = pdm_version_new (sb, sa, "Siti Aminah Putri");
  g_autoptr(PdmFieldState) state = merge_in_every_order (synced->v0, a1, b2, NULL);

  g_assert_cmpstr (pdm_field_state_get_winner (state)->value, ==, "Siti Aminah Putri");
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (state), ==, 0);
  g_assert_true (pdm_version_saw (b2, a1));
  g_assert_false (pdm_version_saw (a1, b2));
}

static void
test_stale_value_arrives_late (Synced        *synced,
                               gconstpointer  data)
{
  g_autofree char *s_stale = make_stamp (NOW_MS + 100, DEVICE_A);
  g_autofree char *sb = make_stamp (NOW_MS + 5000, DEVICE_B);
  g_autofree char *sc = make_stamp (NOW_MS + 6000, DEVICE_C);
  /* A wrote offline, early, and synced only days later. */
  g_autoptr(PdmVersion) stale = pdm_version_new (s_stale, synced->s0, "Siti Aminah");
  g_autoptr(PdmVersion) b1 = pdm_version_new (sb, synced->s0, "Siti A.");
  g_autoptr(PdmVersion) c1 = pdm_version_new (sc, sb, "Siti Aisyah");
  g_autoptr(PdmFieldState) unseen = merge_in_every_order (synced->v0, b1, NULL);
  g_autoptr(PdmFieldState) seen = merge_in_every_order (synced->v0, b1, c1, NULL);
  g_autoptr(PdmFieldState) all = merge_in_every_order (synced->v0, b1, c1, stale, NULL);

  /* Nobody had replaced anything as new as A's value: it is kept. */
  g_assert_true (pdm_field_state_merge (unseen, stale));
  g_assert_cmpstr (pdm_field_state_get_winner (unseen)->value, ==, "Siti A.");
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (unseen), ==, 1);
  g_assert_cmpstr (pdm_field_state_get_conflict (unseen, 0)->value, ==, "Siti Aminah");

  /* C knowingly replaced B's newer value, which beat A's anyway. */
  g_assert_false (pdm_field_state_merge (seen, stale));
  g_assert_cmpstr (pdm_field_state_get_winner (seen)->value, ==, "Siti Aisyah");
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (seen), ==, 0);
  g_assert_true (pdm_field_state_equal (seen, all));

  /* The replica that kept the conflict drops it once C's value arrives. */
  g_assert_false (pdm_field_state_merge_state (seen, unseen));
  g_assert_true (pdm_field_state_merge_state (unseen, seen));
  g_assert_true (pdm_field_state_equal (seen, unseen));
}

static void
test_invalid_versions (void)
{
  g_autofree char *s1 = make_stamp (NOW_MS, DEVICE_A);
  g_autofree char *s2 = make_stamp (NOW_MS + 1, DEVICE_A);
  g_autoptr(PdmFieldState) state = pdm_field_state_new ();
  PdmVersion forged = { s1, s2, (char *) "x" };

  g_assert_true (pdm_version_check_stamps (s2, s1));
  g_assert_true (pdm_version_check_stamps (s1, NULL));
  g_assert_true (pdm_version_check_stamps (s1, ""));
  /* A base at or above its own stamp would let a writer beat newer values. */
  g_assert_false (pdm_version_check_stamps (s1, s2));
  g_assert_false (pdm_version_check_stamps (s1, s1));
  g_assert_false (pdm_version_check_stamps ("01", NULL));
  g_assert_false (pdm_version_check_stamps (NULL, NULL));
  g_assert_false (pdm_version_check_stamps (s2, "zz"));

  g_assert_true (pdm_field_state_is_empty (state));
  g_assert_null (pdm_field_state_get_winner (state));
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (state), ==, 0);

  g_test_expect_message ("pdm-merge", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_null (pdm_version_new (s1, s2, "x"));
  g_test_assert_expected_messages ();

  g_test_expect_message ("pdm-merge", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_false (pdm_field_state_merge (state, &forged));
  g_test_assert_expected_messages ();
  g_assert_true (pdm_field_state_is_empty (state));
}

/* --- property tests -------------------------------------------------------- */

typedef struct
{
  PdmHlc        *hlc;
  gint64         now_ms;
  PdmFieldState *state;
} Device;

static gint64
device_now (gpointer user_data)
{
  Device *device = user_data;

  return device->now_ms;
}

static void
device_receive (Device           *device,
                const PdmVersion *version)
{
  guint64 hlc;

  /* What the sync client does: observe before merging, so a later local
   * write has a stamp above every base it can take. */
  g_assert_true (pdm_stamp_parse (version->stamp, &hlc, NULL));
  pdm_hlc_observe (device->hlc, hlc);
  pdm_field_state_merge (device->state, version);
}

static PdmVersion *
device_write (Device     *device,
              const char *value)
{
  const PdmVersion *winner = pdm_field_state_get_winner (device->state);
  char stamp[PDM_STAMP_LEN + 1];
  PdmVersion *version;

  pdm_hlc_tick_stamp (device->hlc, stamp);
  version = pdm_version_new (stamp, winner != NULL ? winner->stamp : NULL, value);
  g_assert_nonnull (version);

  /* A local write sees everything its device knows. */
  g_assert_true (pdm_field_state_merge (device->state, version));
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (device->state), ==, 0);

  return version;
}

/* Devices with skewed, sometimes backward clocks edit one field and sync
 * random subsets of what exists so far; returns every write made. */
static GPtrArray *
generate_history (GRand *rand,
                  guint  n_versions)
{
  GPtrArray *versions = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_version_free);
  guint n_devices = g_rand_int_range (rand, 2, 6);
  Device devices[5];

  for (guint d = 0; d < n_devices; d++)
    {
      devices[d].now_ms = NOW_MS + g_rand_int_range (rand, -HOUR_MS, HOUR_MS);
      /* Small ids make same-millisecond ties between devices likely. */
      devices[d].hlc = pdm_hlc_new (d + 1, 0);
      pdm_hlc_set_clock_func (devices[d].hlc, device_now, &devices[d]);
      devices[d].state = pdm_field_state_new ();
    }

  while (versions->len < n_versions)
    {
      Device *device = &devices[g_rand_int_range (rand, 0, n_devices)];

      for (guint d = 0; d < n_devices; d++)
        devices[d].now_ms += g_rand_int_range (rand, 0, 3);
      if (g_rand_int_range (rand, 0, 20) == 0)
        device->now_ms -= g_rand_int_range (rand, 0, HOUR_MS);

      if (g_rand_int_range (rand, 0, 10) < 6)
        {
          g_autofree char *value = g_strdup_printf ("value %u", versions->len);

          g_ptr_array_add (versions, device_write (device, value));
        }
      else
        {
          double p = g_rand_double (rand);

          for (guint i = 0; i < versions->len; i++)
            if (g_rand_double (rand) < p)
              device_receive (device, g_ptr_array_index (versions, i));
        }
    }

  for (guint d = 0; d < n_devices; d++)
    {
      pdm_hlc_free (devices[d].hlc);
      pdm_field_state_free (devices[d].state);
    }

  return versions;
}

static void
shuffle (GRand     *rand,
         GPtrArray *array)
{
  for (guint i = array->len; i > 1; i--)
    swap_items (array, i - 1, g_rand_int_range (rand, 0, i));
}

static GPtrArray *
shuffled_copy (GRand     *rand,
               GPtrArray *versions)
{
  /* Borrows the versions: g_ptr_array_copy would take the free function. */
  GPtrArray *copy = g_ptr_array_sized_new (versions->len);

  for (guint i = 0; i < versions->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (versions, i));
  shuffle (rand, copy);

  return copy;
}

/* Splits @versions into @n_parts states, each version going to a random one. */
static GPtrArray *
split_into_states (GRand     *rand,
                   GPtrArray *versions,
                   guint      n_parts)
{
  GPtrArray *states = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_field_state_free);

  for (guint i = 0; i < n_parts; i++)
    g_ptr_array_add (states, pdm_field_state_new ());

  for (guint i = 0; i < versions->len; i++)
    pdm_field_state_merge (g_ptr_array_index (states, g_rand_int_range (rand, 0, n_parts)),
                           g_ptr_array_index (versions, i));

  return states;
}

/* The definition, computed the slow way: who no other version saw. */
static void
assert_is_antichain_of (const PdmFieldState *state,
                        GPtrArray           *versions)
{
  const char *max_stamp = NULL;
  guint n_maximal = 0;

  for (guint i = 0; i < versions->len; i++)
    {
      const PdmVersion *v = g_ptr_array_index (versions, i);
      gboolean seen = FALSE;

      if (max_stamp == NULL || strcmp (v->stamp, max_stamp) > 0)
        max_stamp = v->stamp;

      for (guint j = 0; j < versions->len && !seen; j++)
        seen = pdm_version_saw (g_ptr_array_index (versions, j), v);

      if (!seen)
        n_maximal++;
      g_assert_true (state_has (state, v->stamp) == !seen);
    }

  g_assert_cmpuint (pdm_field_state_get_n_conflicts (state) + 1, ==, n_maximal);
  g_assert_cmpstr (pdm_field_state_get_winner (state)->stamp, ==, max_stamp);
}

static void
check_history (GRand     *rand,
               GPtrArray *versions,
               guint     *n_with_conflicts)
{
  g_autoptr(PdmFieldState) reference = merge_all (versions);
  const PdmVersion *winner = pdm_field_state_get_winner (reference);
  g_autoptr(GPtrArray) split = NULL;
  g_autoptr(PdmFieldState) left = NULL;
  g_autoptr(PdmFieldState) right = NULL;
  g_autoptr(PdmFieldState) again = NULL;
  g_autoptr(PdmVersion) resolution = NULL;
  char stamp[PDM_STAMP_LEN + 1];
  guint64 max_hlc;

  /* (d) and the rule itself, against the definition. */
  assert_is_antichain_of (reference, versions);
  if (pdm_field_state_get_n_conflicts (reference) > 0)
    (*n_with_conflicts)++;

  /* (a) any order, any batching. */
  for (guint p = 0; p < N_PERMUTATIONS; p++)
    {
      g_autoptr(GPtrArray) order = shuffled_copy (rand, versions);
      g_autoptr(PdmFieldState) one_by_one = merge_all (order);
      g_autoptr(GPtrArray) batches = split_into_states (rand, order,
                                                        g_rand_int_range (rand, 1, 6));
      g_autoptr(PdmFieldState) batched = pdm_field_state_new ();

      g_assert_true (pdm_field_state_equal (one_by_one, reference));

      shuffle (rand, batches);
      for (guint i = 0; i < batches->len; i++)
        pdm_field_state_merge_state (batched, g_ptr_array_index (batches, i));
      g_assert_true (pdm_field_state_equal (batched, reference));
    }

  /* (b) grouping of three states, and the order of two. */
  split = split_into_states (rand, versions, 3);
  left = pdm_field_state_copy (g_ptr_array_index (split, 0));
  pdm_field_state_merge_state (left, g_ptr_array_index (split, 1));
  pdm_field_state_merge_state (left, g_ptr_array_index (split, 2));
  right = pdm_field_state_copy (g_ptr_array_index (split, 1));
  pdm_field_state_merge_state (right, g_ptr_array_index (split, 2));
  again = pdm_field_state_copy (g_ptr_array_index (split, 0));
  pdm_field_state_merge_state (again, right);
  g_assert_true (pdm_field_state_equal (left, reference));
  g_assert_true (pdm_field_state_equal (again, reference));
  g_clear_pointer (&again, pdm_field_state_free);

  again = pdm_field_state_copy (g_ptr_array_index (split, 2));
  pdm_field_state_merge_state (again, g_ptr_array_index (split, 1));
  g_assert_true (pdm_field_state_equal (again, right));
  g_clear_pointer (&again, pdm_field_state_free);

  /* (c) nothing merged twice changes anything. */
  for (guint i = 0; i < versions->len; i++)
    g_assert_false (pdm_field_state_merge (reference, g_ptr_array_index (versions, i)));
  again = pdm_field_state_copy (reference);
  g_assert_false (pdm_field_state_merge_state (reference, again));
  g_assert_false (pdm_field_state_merge_state (reference, reference));
  for (guint i = 0; i < split->len; i++)
    g_assert_false (pdm_field_state_merge_state (left, g_ptr_array_index (split, i)));
  g_assert_true (pdm_field_state_equal (again, reference));
  g_assert_true (pdm_field_state_equal (left, reference));

  /* (e) a person picks a conflict's value: a write that saw the winner. */
  g_assert_true (pdm_stamp_parse (winner->stamp, &max_hlc, NULL));
  pdm_stamp_format (max_hlc + g_rand_int_range (rand, 1, 100), g_rand_int_range (rand, 1, 6),
                    stamp);
  resolution = pdm_version_new (stamp, winner->stamp,
                                pdm_field_state_get_n_conflicts (reference) > 0
                                ? pdm_field_state_get_conflict (reference, 0)->value
                                : winner->value);
  g_assert_true (pdm_field_state_merge (reference, resolution));
  g_assert_cmpuint (pdm_field_state_get_n_conflicts (reference), ==, 0);
  g_assert_cmpstr (pdm_field_state_get_winner (reference)->stamp, ==, stamp);
  for (guint i = 0; i < versions->len; i++)
    g_assert_false (pdm_field_state_merge (reference, g_ptr_array_index (versions, i)));
}

static void
test_properties (void)
{
  /* Replay a failure with the --seed that the test log shows. */
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n_with_conflicts = 0;

  g_test_message ("history seed %u", seed);

  for (guint h = 0; h < N_HISTORIES; h++)
    {
      g_autoptr(GPtrArray) versions = generate_history (rand,
                                                        g_rand_int_range (rand, 1, MAX_VERSIONS + 1));

      check_history (rand, versions, &n_with_conflicts);
    }

  /* A generator that never makes conflicts would prove nothing. */
  g_test_message ("%u of %u histories end with conflicts", n_with_conflicts, N_HISTORIES);
  g_assert_cmpuint (n_with_conflicts, >, N_HISTORIES / 10);
  g_assert_cmpuint (n_with_conflicts, <, N_HISTORIES);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/merge/offline-edits-conflict", Synced, NULL,
              synced_setup, test_offline_edits_conflict, synced_teardown);
  g_test_add_func ("/merge/concurrent-inserts-conflict", test_concurrent_inserts_conflict);
  g_test_add ("/merge/seen-value-overwritten", Synced, NULL,
              synced_setup, test_seen_value_overwritten, synced_teardown);
  g_test_add ("/merge/stale-value-arrives-late", Synced, NULL,
              synced_setup, test_stale_value_arrives_late, synced_teardown);
  g_test_add_func ("/merge/invalid-versions", test_invalid_versions);
  g_test_add_func ("/merge/properties", test_properties);

  return g_test_run ();
}
