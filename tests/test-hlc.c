/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hlc"

#include "config.h"

#include <string.h>

#include "pdm-hlc.h"

#define DEVICE_A G_GUINT64_CONSTANT (0x0123456789abcdef)

/* 2025-11-25 08:00:00 UTC, a plausible "now" for a field worker. */
#define NOW_MS G_GINT64_CONSTANT (1764057600000)
#define HOUR_MS G_GINT64_CONSTANT (3600000)

/* A clock the test sets by hand, and a fresh HLC that reads it. */
typedef struct
{
  gint64  now_ms;
  PdmHlc *hlc;
} Clock;

static gint64
clock_now (gpointer user_data)
{
  Clock *clock = user_data;

  return clock->now_ms;
}

static PdmHlc *
clock_new_hlc (Clock   *clock,
               guint64  last_hlc)
{
  PdmHlc *hlc = pdm_hlc_new (DEVICE_A, last_hlc);

  pdm_hlc_set_clock_func (hlc, clock_now, clock);

  return hlc;
}

static void
clock_setup (Clock         *clock,
             gconstpointer  data)
{
  clock->now_ms = NOW_MS;
  clock->hlc = clock_new_hlc (clock, 0);
}

static void
clock_teardown (Clock         *clock,
                gconstpointer  data)
{
  g_clear_pointer (&clock->hlc, pdm_hlc_free);
}

static void
test_monotonic_real_clock (void)
{
  g_autoptr(PdmHlc) hlc = pdm_hlc_new (DEVICE_A, 0);
  gint64 before = g_get_real_time () / 1000;
  guint64 previous;
  guint64 first;

  first = previous = pdm_hlc_tick (hlc);

  for (guint i = 0; i < 100000; i++)
    {
      guint64 next = pdm_hlc_tick (hlc);

      g_assert_cmphex (next, >, previous);
      previous = next;
    }

  /* The clock follows the wall, ahead of it by at most a carry of the
   * counter per 65536 ticks. */
  g_assert_cmpint (pdm_hlc_get_wall_ms (first), >=, before);
  g_assert_cmpint (pdm_hlc_get_wall_ms (previous), <=, g_get_real_time () / 1000 + 2);
  g_assert_cmphex (pdm_hlc_get_last (hlc), ==, previous);
  g_assert_cmphex (pdm_hlc_get_device_id (hlc), ==, DEVICE_A);
}

static void
test_same_ms_counts (Clock         *clock,
                     gconstpointer  data)
{
  PdmHlc *hlc = clock->hlc;

  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS, 0));
  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS, 1));
  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS, 2));

  /* A new millisecond starts the counter over. */
  clock->now_ms++;
  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS + 1, 0));
}

static void
test_clock_jumps_back (Clock         *clock,
                       gconstpointer  data)
{
  PdmHlc *hlc = clock->hlc;
  guint64 before = pdm_hlc_tick (hlc);
  guint64 after;

  /* The PC's CMOS battery died, or someone "fixed" the time zone. */
  clock->now_ms -= HOUR_MS;
  after = pdm_hlc_tick (hlc);
  g_assert_cmphex (after, >, before);
  g_assert_cmpint (pdm_hlc_get_wall_ms (after), ==, NOW_MS);
  g_assert_cmpint (pdm_hlc_get_counter (after), ==, 1);

  /* Before 1970 is no different. */
  clock->now_ms = -5;
  g_assert_cmphex (pdm_hlc_tick (hlc), >, after);

  /* Once the wall catches up, the clock follows it again. */
  clock->now_ms = NOW_MS + 10;
  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS + 10, 0));
}

static void
test_counter_overflow_carries (Clock         *clock,
                               gconstpointer  data)
{
  g_autoptr(PdmHlc) hlc = clock_new_hlc (clock, pdm_hlc_pack (NOW_MS, 0xfffe));
  PdmHlc *busy = clock->hlc;
  guint64 last = 0;

  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS, 0xffff));
  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS + 1, 0));
  g_assert_cmphex (pdm_hlc_tick (hlc), ==, pdm_hlc_pack (NOW_MS + 1, 1));

  /* More than 65536 events within one frozen millisecond. */
  for (guint i = 0; i < 0x10000 + 2; i++)
    {
      guint64 next = pdm_hlc_tick (busy);

      g_assert_cmphex (next, >, last);
      last = next;
    }
  g_assert_cmphex (last, ==, pdm_hlc_pack (NOW_MS + 1, 1));
}

static void
test_observe_remote_ahead (Clock         *clock,
                           gconstpointer  data)
{
  PdmHlc *hlc = clock->hlc;
  guint64 remote = pdm_hlc_pack (NOW_MS + 5000, 7);
  guint64 observed;
  guint64 next;

  pdm_hlc_tick (hlc);
  observed = pdm_hlc_observe (hlc, remote);
  g_assert_cmphex (observed, >, remote);

  next = pdm_hlc_tick (hlc);
  g_assert_cmphex (next, >, remote);
  g_assert_cmphex (next, >, observed);
  g_assert_cmphex (next, ==, pdm_hlc_pack (NOW_MS + 5000, 9));
  g_assert_cmphex (pdm_hlc_get_last (hlc), ==, next);
}

static void
test_observe_remote_behind (Clock         *clock,
                            gconstpointer  data)
{
  PdmHlc *hlc = clock->hlc;
  guint64 local = pdm_hlc_tick (hlc);
  guint64 observed;

  /* An old stamp must not pull the clock back. */
  observed = pdm_hlc_observe (hlc, pdm_hlc_pack (NOW_MS - HOUR_MS, 3));
  g_assert_cmphex (observed, >, local);
  g_assert_cmphex (pdm_hlc_tick (hlc), >, observed);

  /* The wall ahead of both wins, with counter 0. */
  clock->now_ms += 1000;
  g_assert_cmphex (pdm_hlc_observe (hlc, pdm_hlc_pack (NOW_MS, 9)), ==,
                   pdm_hlc_pack (NOW_MS + 1000, 0));
}

static void
test_restart_with_clock_behind (Clock         *clock,
                                gconstpointer  data)
{
  g_autoptr(PdmHlc) restarted = NULL;
  guint64 persisted;
  guint64 next;

  pdm_hlc_observe (clock->hlc, pdm_hlc_pack (NOW_MS + 10000, 3));
  pdm_hlc_tick (clock->hlc);
  persisted = pdm_hlc_get_last (clock->hlc);

  /* The app restarts on a PC whose clock lost a day. */
  clock->now_ms = NOW_MS - 24 * HOUR_MS;
  restarted = clock_new_hlc (clock, persisted);

  next = pdm_hlc_tick (restarted);
  g_assert_cmphex (next, >, persisted);
  g_assert_cmphex (pdm_hlc_tick (restarted), >, next);
}

static int
compare_u64 (guint64 a,
             guint64 b)
{
  return a < b ? -1 : (a > b ? 1 : 0);
}

static int
sign (int value)
{
  return value < 0 ? -1 : (value > 0 ? 1 : 0);
}

static guint64
rand_u64 (GRand *rand)
{
  return ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
}

static void
test_stamp_round_trip_and_order (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  char stamp[PDM_STAMP_LEN + 1];
  guint64 hlc;
  guint64 device_id;

  pdm_stamp_format (pdm_hlc_pack (NOW_MS, 2), DEVICE_A, stamp);
  g_assert_cmpstr (stamp, ==, "019aba06d0000002" "0123456789abcdef");
  g_assert_cmpuint (strlen (stamp), ==, PDM_STAMP_LEN);

  for (guint i = 0; i < 20000; i++)
    {
      char a[PDM_STAMP_LEN + 1];
      char b[PDM_STAMP_LEN + 1];
      guint64 hlc_a = rand_u64 (rand);
      guint64 device_a = rand_u64 (rand);
      /* Often the same HLC or a near one, so the device id decides. */
      guint64 hlc_b = g_rand_boolean (rand) ? hlc_a + g_rand_int_range (rand, -1, 2)
                                            : rand_u64 (rand);
      guint64 device_b = g_rand_int_range (rand, 0, 8) == 0 ? device_a : rand_u64 (rand);
      int expected;

      /* Short values too, where a variable width would sort wrongly. */
      if (i % 3 == 0)
        {
          hlc_a >>= g_rand_int_range (rand, 0, 64);
          hlc_b >>= g_rand_int_range (rand, 0, 64);
        }

      pdm_stamp_format (hlc_a, device_a, a);
      pdm_stamp_format (hlc_b, device_b, b);

      g_assert_true (pdm_stamp_parse (a, &hlc, &device_id));
      g_assert_cmphex (hlc, ==, hlc_a);
      g_assert_cmphex (device_id, ==, device_a);

      expected = compare_u64 (hlc_a, hlc_b);
      if (expected == 0)
        expected = compare_u64 (device_a, device_b);
      g_assert_cmpint (sign (strcmp (a, b)), ==, expected);
    }
}

static void
test_stamp_parse_rejects (void)
{
  const char *bad[] = {
    "",
    "0001911b0e8a6000",
    "0001911b0e8a60000123456789abcde",
    "0001911b0e8a600000123456789abcdef",
    "0001911B0E8A60000123456789ABCDEF",
    "0001911b0e8a6000 123456789abcdef",
    "0001911b0e8a6000+123456789abcdef",
    "0001911b0e8a6000g123456789abcdef",
  };
  guint64 hlc = 42;

  g_assert_false (pdm_stamp_parse (NULL, &hlc, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (pdm_stamp_parse (bad[i], &hlc, NULL));
  g_assert_cmphex (hlc, ==, 42);

  g_assert_true (pdm_stamp_parse ("ffffffffffffffff0000000000000001", &hlc, NULL));
  g_assert_cmphex (hlc, ==, G_MAXUINT64);
}

static void
test_is_ahead (void)
{
  gint64 skew = 5 * 60 * 1000;

  g_assert_false (pdm_hlc_is_ahead (pdm_hlc_pack (NOW_MS, 0), NOW_MS, skew));
  g_assert_false (pdm_hlc_is_ahead (pdm_hlc_pack (NOW_MS - HOUR_MS, 0), NOW_MS, skew));
  g_assert_false (pdm_hlc_is_ahead (pdm_hlc_pack (NOW_MS + skew, 0xffff), NOW_MS, skew));
  g_assert_true (pdm_hlc_is_ahead (pdm_hlc_pack (NOW_MS + skew + 1, 0), NOW_MS, skew));
  g_assert_true (pdm_hlc_is_ahead (G_MAXUINT64, NOW_MS, skew));
  g_assert_false (pdm_hlc_is_ahead (G_MAXUINT64, NOW_MS, G_MAXINT64));
}

static void
test_device_id (void)
{
  guint64 a = pdm_device_id_generate ();
  guint64 b = pdm_device_id_generate ();

  g_assert_cmphex (a, !=, 0);
  g_assert_cmphex (b, !=, 0);
  g_assert_cmphex (a, !=, b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hlc/monotonic-real-clock", test_monotonic_real_clock);
  g_test_add ("/hlc/same-ms-counts", Clock, NULL,
              clock_setup, test_same_ms_counts, clock_teardown);
  g_test_add ("/hlc/clock-jumps-back", Clock, NULL,
              clock_setup, test_clock_jumps_back, clock_teardown);
  g_test_add ("/hlc/counter-overflow-carries", Clock, NULL,
              clock_setup, test_counter_overflow_carries, clock_teardown);
  g_test_add ("/hlc/observe-remote-ahead", Clock, NULL,
              clock_setup, test_observe_remote_ahead, clock_teardown);
  g_test_add ("/hlc/observe-remote-behind", Clock, NULL,
              clock_setup, test_observe_remote_behind, clock_teardown);
  g_test_add ("/hlc/restart-with-clock-behind", Clock, NULL,
              clock_setup, test_restart_with_clock_behind, clock_teardown);
  g_test_add_func ("/hlc/stamp-round-trip-and-order", test_stamp_round_trip_and_order);
  g_test_add_func ("/hlc/stamp-parse-rejects", test_stamp_parse_rejects);
  g_test_add_func ("/hlc/is-ahead", test_is_ahead);
  g_test_add_func ("/hlc/device-id", test_device_id);

  return g_test_run ();
}
