/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-ui-bench"

#include "config.h"

#include <locale.h>
#include <time.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pdm-bench-util.h"
#include "pdm-application.h"
#include "pdm-database.h"
#include "pdm-household-page.h"
#include "pdm-record-list-model.h"
#include "pdm-window.h"

/* Prints one `NAME VALUE UNIT` line per figure: what a person waits for
 * and what the app holds in memory with a city of a million persons in
 * 250,000 households, beside an empty database.
 *
 * Usage, under a display and a session bus:
 *   xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- \
 *     _build/bench/pendamping-ui-bench [N_PERSONS]
 *
 * The database is filled once; each figure comes from a fresh child
 * process: this program again in "--child" mode, which runs the very
 * PdmApplication of the app with `--data-dir` and reports the monotonic
 * time of the window's first frame (the parent took it before the spawn)
 * and of the first frame that shows the household list, its VmRSS, and
 * the SQL that ran on the main thread and in the worker threads that read
 * the lists. Notes on where the time goes are printed to stderr, prefixed
 * with `#`.
 *
 * Filling a million persons takes minutes: PDM_UI_BENCH_KEEP=1 keeps the
 * databases and prints where, and PDM_UI_BENCH_DIR=that-folder runs again
 * on them. PDM_UI_BENCH_RSS=1 notes which mappings the resident memory of
 * each start is in. */

#define STARTUP_ROUNDS 3
#define SEARCH_ROUNDS 3
/* A search slower than this is timed once: the bench has to end. */
#define SLOW_SEARCH_MS 5000
#define WAIT_US (60 * G_USEC_PER_SEC)

/* --- the city ---------------------------------------------------------------- */

static const char * const men[] = {
  "Muhammad", "Rahmat", "Afrizal", "Zulkifli", "Syafri", "Hendra", "Yusuf", "Budi", "Fauzi",
  "Irwan", "Zainal", "Syahrial", "Amril", "Dasrul", "Jasman", "Nofrizal", "Darmawan", "Indra",
  "Fadli", "Reza", "Mulyadi", "Yulizar", "Erizal", "Nasrul", "Khairul", "Ahmad", "Ilham", "Arif",
};
static const char * const women[] = {
  "Siti", "Nurhayati", "Dewi", "Rina", "Aisyah", "Yulianti", "Erniwati", "Desmawati", "Yusnimar",
  "Rosmaniar", "Asnimar", "Mardiah", "Nurlela", "Yenni", "Elfi", "Hasnah", "Wirda", "Fitri",
  "Rahmi", "Putri", "Intan", "Wulan", "Zahara", "Nurul", "Syamsinar", "Mega", "Sri", "Ratna",
};
static const char * const second_names[] = {
  "Aminah", "Rahmah", "Yanti", "Wati", "Hayati", "Nengsih", "Sari", "Putra", "Efendi", "Saputra",
  "Rahman", "Hidayat", "Fitriani", "Marlina", "Akmal", "Rizal", "Amelia", "Maulana", "Ramadhan",
  "Kurniawan", "Susanti", "Handayani", "Chaniago", "Piliang", "Koto", "Sikumbang", "Tanjung",
};
static const char * const streets[] = {
  "Sudirman", "Soekarno-Hatta", "Perintis Kemerdekaan", "Ahmad Yani", "Panorama",
  "Haji Agus Salim", "Pemuda", "Diponegoro", "Veteran", "By Pass", "Hamka", "Sutan Syahrir",
  "Ateh Ngarai", "Tigo Baleh", "Birugo Puhun", "Kubu Tanjung", "Bundo Kanduang", "Mandiangin",
};
/* The 24 kelurahan of data/regions. */
static const char * const kelurahan_codes[] = {
  "13.75.01.1001", "13.75.01.1002", "13.75.01.1003", "13.75.01.1004", "13.75.01.1005",
  "13.75.01.1006", "13.75.01.1007", "13.75.02.1001", "13.75.02.1002", "13.75.02.1003",
  "13.75.02.1004", "13.75.02.1005", "13.75.02.1006", "13.75.02.1007", "13.75.02.1008",
  "13.75.02.1009", "13.75.03.1001", "13.75.03.1002", "13.75.03.1003", "13.75.03.1004",
  "13.75.03.1005", "13.75.03.1006", "13.75.03.1007", "13.75.03.1008",
};
static const char * const programs[] = { "PKH", "BPNT", "PKH,BPNT", "PBI-JK", NULL };

/* A deterministic draw: a hash of the row number and of what is drawn. */
static guint32
draw (guint32 i,
      guint32 what)
{
  guint32 x = (i + 1) * 0x9e3779b1u + what * 0x85ebca77u;

  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;

  return x;
}

/* Common names come up more often, as in a real city. */
static const char *
pick (const char * const *names,
      guint               n_names,
      guint32             i,
      guint32             what)
{
  double u = (draw (i, what) & 0xffff) / 65536.0;

  return names[(guint) (n_names * u * u)];
}

static char *
person_name (guint32 i)
{
  const char *given = i % 2 == 1 ? pick (women, G_N_ELEMENTS (women), i, 1)
                                 : pick (men, G_N_ELEMENTS (men), i, 1);

  return g_strdup_printf ("%s %s", given, pick (second_names, G_N_ELEMENTS (second_names), i, 2));
}

static void
person_nik (char        nik[17],
            guint32     i,
            const char *kelurahan_code)
{
  guint day = 1 + draw (i, 3) % 28, month = 1 + draw (i, 4) % 12;
  guint year = 1940 + draw (i, 5) % 80;

  g_snprintf (nik, 17, "1375%.2s%02u%02u%02u%04u", kelurahan_code + 6,
              day + (i % 2 == 1 ? 40 : 0), month, year % 100, 1 + i % 9999);
}

static const char *
household_kelurahan (guint32 h)
{
  return kelurahan_codes[draw (h, 6) % G_N_ELEMENTS (kelurahan_codes)];
}

static void
make_id (char    id[37],
         guint   kind,
         guint32 i)
{
  g_snprintf (id, 37, "0190%04x-%04x-7%03x-8%03x-%012x", i >> 16, i & 0xffff, kind,
              draw (i, kind) & 0xfff, draw (i, 10 + kind));
}

static void
check (sqlite3 *db,
       int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s", sqlite3_errmsg (db));
}

static void
step_texts (sqlite3            *db,
            sqlite3_stmt       *stmt,
            const char * const *values,
            guint               n_values)
{
  for (guint i = 0; i < n_values; i++)
    sqlite3_bind_text (stmt, i + 1, values[i], -1, SQLITE_TRANSIENT);
  check (db, sqlite3_step (stmt));
  check (db, sqlite3_reset (stmt));
}

/* Plain prepared inserts into the real schema; its triggers fill the
 * search index. */
static void
fill (const char *path,
      guint       n_persons)
{
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *household = NULL, *person = NULL, *volunteer = NULL;
  sqlite3 *db;

  database = pdm_database_open (path, &error);
  if (database == NULL)
    g_error ("%s", error->message);
  db = pdm_database_get_handle (database);
  check (db, sqlite3_exec (db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL));
  check (db, sqlite3_prepare_v2 (db,
                                 "INSERT INTO household (id, kk_number, head_name, address, rt, rw,"
                                 " kelurahan_code, desil, programs, volunteer_id, deleted, _created)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, '')",
                                 -1, &household, NULL));
  check (db, sqlite3_prepare_v2 (db,
                                 "INSERT INTO person (id, household_id, nik, full_name, sex,"
                                 " birth_place, birth_date, relationship, deleted, _created)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 'Bukittinggi', ?6, ?7, 0, '')",
                                 -1, &person, NULL));
  check (db, sqlite3_prepare_v2 (db,
                                 "INSERT INTO volunteer (id, nik, full_name, address,"
                                 " kelurahan_code, deleted, _created)"
                                 " VALUES (?1, ?2, ?3, 'Jl. Sudirman No. 1', ?4, 0, '')",
                                 -1, &volunteer, NULL));
  check (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL));

  for (guint32 v = 0; v < 600; v++)
    {
      g_autofree char *name = person_name (v * 7919 + 1);
      const char *code = kelurahan_codes[v % G_N_ELEMENTS (kelurahan_codes)];
      char id[37], nik[17];

      make_id (id, 3, v);
      person_nik (nik, 5000000 + v, code);
      step_texts (db, volunteer, (const char *[]) { id, nik, name, code }, 4);
    }

  for (guint32 h = 0; h < n_persons / 4; h++)
    {
      const char *code = household_kelurahan (h);
      /* One head in four is a woman. */
      guint32 head_member = draw (h, 17) % 4 == 0 ? 1 : 0;
      g_autofree char *head = person_name (h * 4 + head_member);
      g_autofree char *address = g_strdup_printf ("Jl. %s No. %u",
                                                  pick (streets, G_N_ELEMENTS (streets), h, 7),
                                                  1 + draw (h, 8) % 200);
      char id[37], kk[17], rt[4], rw[4], desil[3], volunteer_id[37];

      make_id (id, 1, h);
      make_id (volunteer_id, 3, draw (h, 9) % 600);
      g_snprintf (kk, sizeof kk, "1375%.2s%02u%02u%02u%04u", code + 6, 1 + draw (h, 10) % 28,
                  1 + draw (h, 11) % 12, 10 + draw (h, 12) % 15, 1 + h % 9999);
      g_snprintf (rt, sizeof rt, "%03u", 1 + draw (h, 13) % 9);
      g_snprintf (rw, sizeof rw, "%03u", 1 + draw (h, 14) % 6);
      g_snprintf (desil, sizeof desil, "%u", 1 + draw (h, 15) % 10);
      sqlite3_bind_text (household, 9, programs[draw (h, 16) % G_N_ELEMENTS (programs)], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (household, 10, volunteer_id, -1, SQLITE_TRANSIENT);
      step_texts (db, household, (const char *[]) { id, kk, head, address, rt, rw, code, desil },
                  8);
      for (guint32 m = 0; m < 4; m++)
        {
          guint32 i = h * 4 + m;
          g_autofree char *name = person_name (i);
          char person_id[37], nik[17], birth_date[11];

          make_id (person_id, 2, i);
          person_nik (nik, i, code);
          g_snprintf (birth_date, sizeof birth_date, "%04u-%02u-%02u", 1940 + draw (i, 5) % 80,
                      1 + draw (i, 4) % 12, 1 + draw (i, 3) % 28);
          step_texts (db, person, (const char *[]) { person_id, id, nik, name,
                                                     i % 2 == 1 ? "P" : "L", birth_date,
                                                     m == head_member ? "Kepala Keluarga"
                                                                      : "Anak" }, 7);
        }
    }

  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
  sqlite3_finalize (household);
  sqlite3_finalize (person);
  sqlite3_finalize (volunteer);
}

/* --- the child: the app itself ------------------------------------------------ */

typedef struct
{
  guint  n;
  double ms;
} SqlCost;

/* The SQL that ran since the last report_sql(), by statement. */
typedef struct
{
  guint       n_statements;
  double      ms;
  GHashTable *by_sql;
} SqlLog;

typedef struct
{
  gint64          spawn_us;
  gboolean        full;
  guint           n_persons;
  gint64          main_us;
  gint64          activate_us;
  gint64          activated_us;
  PdmApplication *application;
  GtkWidget      *window;
  guint           n_paints;
  gint64          first_paint_us;
  gint64          last_paint_us;
  /* The household list reads in a worker, and its view gets it after the
   * first frame: when the list last finished reading, when the view got
   * it, and the first frame after both. */
  PdmRecordListModel *model;
  gint64          loaded_us;
  gint64          attached_us;
  gint64          list_shown_us;
  double          first_paint_cpu_ms;
  double          list_shown_cpu_ms;
  gint64          search_changed_us;
  gint64          items_changed_us;
  /* The SQL that ran since the last report: on the main thread, and in
   * the worker threads that read the lists (under workers_lock). */
  GThread        *main_thread;
  SqlLog          main_sql;
  SqlLog          workers_sql;
  GMutex          workers_lock;
} Child;

static Child child;

static int
on_sql_profile_cb (unsigned int  type,
                   void         *context,
                   void         *p,
                   void         *x)
{
  gboolean main_thread = g_thread_self () == child.main_thread;
  SqlLog *log = main_thread ? &child.main_sql : &child.workers_sql;
  const char *sql;
  SqlCost *cost;

  if (type != SQLITE_TRACE_PROFILE)
    return 0;

  if (!main_thread)
    g_mutex_lock (&child.workers_lock);

  log->n_statements++;
  log->ms += *(sqlite3_int64 *) x / 1e6;

  sql = sqlite3_sql (p);
  cost = g_hash_table_lookup (log->by_sql, sql);
  if (cost == NULL)
    {
      cost = g_new0 (SqlCost, 1);
      g_hash_table_insert (log->by_sql, g_strdup (sql), cost);
    }
  cost->n++;
  cost->ms += *(sqlite3_int64 *) x / 1e6;

  if (!main_thread)
    g_mutex_unlock (&child.workers_lock);

  return 0;
}

/* Every connection the app opens is traced, from its first statement. */
static int
trace_connection (sqlite3                     *db,
                  char                       **message,
                  const sqlite3_api_routines  *api)
{
  sqlite3_trace_v2 (db, SQLITE_TRACE_PROFILE, on_sql_profile_cb, NULL);

  return SQLITE_OK;
}

static int
compare_costs (gconstpointer a,
               gconstpointer b,
               gpointer      by_sql)
{
  SqlCost *x = g_hash_table_lookup (by_sql, *(const char * const *) a);
  SqlCost *y = g_hash_table_lookup (by_sql, *(const char * const *) b);

  return (x->ms < y->ms) - (x->ms > y->ms);
}

static void
report_sql_log (const char *phase,
                const char *thread,
                SqlLog     *log)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys;

  g_print ("%s_sql_%s %u statements\n", phase, thread, log->n_statements);
  g_print ("%s_sql_%s_time %.1f ms\n", phase, thread, log->ms);

  keys = g_hash_table_get_keys_as_array (log->by_sql, &n_keys);
  g_qsort_with_data (keys, n_keys, sizeof (gpointer), compare_costs, log->by_sql);
  for (guint i = 0; i < MIN (n_keys, 5); i++)
    {
      SqlCost *cost = g_hash_table_lookup (log->by_sql, keys[i]);
      const char *text = keys[i];
      size_t length = strlen (text);
      /* The columns are alike: the end of a statement tells them apart. */
      g_autofree char *sql = length > 170 ? g_strdup_printf ("%.50s … %s", text,
                                                             text + length - 120)
                                          : g_strdup (text);

      g_strdelimit (sql, "\n", ' ');
      g_printerr ("# %s (%s): %u× %.1f ms: %s\n", phase, thread, cost->n, cost->ms, sql);
    }

  log->n_statements = 0;
  log->ms = 0;
  g_hash_table_remove_all (log->by_sql);
}

/* Prints the SQL cost of a phase and forgets it. The lists read in
 * worker threads: their SQL is what a person waits for, not what blocks
 * the window. */
static void
report_sql (const char *phase)
{
  report_sql_log (phase, "main_thread", &child.main_sql);
  g_mutex_lock (&child.workers_lock);
  report_sql_log (phase, "workers", &child.workers_sql);
  g_mutex_unlock (&child.workers_lock);
}

static double
vm_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    g_error ("No VmRSS in /proc/self/status");

  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10) / 1024.0;
}

typedef struct
{
  char  *name;
  gsize  kb;
} Mapping;

static int
compare_mappings (gconstpointer a,
                  gconstpointer b)
{
  const Mapping *x = a;
  const Mapping *y = b;

  return (x->kb < y->kb) - (x->kb > y->kb);
}

/* Notes where the resident memory of @phase is: the biggest mappings by
 * file (a shared library counts with all its segments) or kind. */
static void
report_rss (const char *phase)
{
  g_autofree char *smaps = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) mappings = g_array_new (FALSE, FALSE, sizeof (Mapping));
  const char *name = "?";

  if (!g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
    return;

  lines = g_strsplit (smaps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gpointer index;

      if (g_ascii_isxdigit (line[0]) && strchr (line, '-') != NULL)
        {
          /* "start-end perms offset dev inode   path": the path, or an
           * anonymous mapping. */
          const char *path = line;

          for (guint field = 0; field < 5 && path != NULL; field++)
            path = strchr (path + 1, ' ');
          while (path != NULL && *path == ' ')
            path++;
          name = path != NULL && *path != '\0' ? path : "[anonymous]";
        }
      else if (g_str_has_prefix (line, "Rss:"))
        {
          gsize kb = g_ascii_strtoull (line + strlen ("Rss:"), NULL, 10);

          if (!g_hash_table_lookup_extended (by_name, name, NULL, &index))
            {
              Mapping mapping = { (char *) name, 0 };

              index = GUINT_TO_POINTER (mappings->len);
              g_array_append_val (mappings, mapping);
              g_hash_table_insert (by_name, (char *) name, index);
            }
          g_array_index (mappings, Mapping, GPOINTER_TO_UINT (index)).kb += kb;
        }
    }

  g_array_sort (mappings, compare_mappings);
  for (guint i = 0; i < MIN (mappings->len, 12); i++)
    g_printerr ("# %s rss: %.1f MB %s\n", phase,
                g_array_index (mappings, Mapping, i).kb / 1024.0,
                g_array_index (mappings, Mapping, i).name);
}

static void
wait_until (gboolean (*done) (void),
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (!done ())
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static guint wanted_paints;

static gboolean
painted_enough (void)
{
  if (child.n_paints >= wanted_paints)
    return TRUE;

  /* A frame with nothing new asks for no next one. */
  gtk_widget_queue_draw (child.window);

  return FALSE;
}

/* Waits for @n more frames: the first shows the change, the next ones
 * what the list read for it. */
static void
wait_paints (guint n)
{
  wanted_paints = child.n_paints + n;
  wait_until (painted_enough, "frames");
}

static gboolean
list_settled (void)
{
  if (pdm_record_list_model_is_loading (child.model))
    return FALSE;
  if (child.last_paint_us > child.loaded_us)
    return TRUE;

  /* Read, not yet shown: the rows filled in ask for a frame, but not
   * when nothing they show changed. */
  gtk_widget_queue_draw (child.window);

  return FALSE;
}

/* Waits until the rows the view asked for are read, and shown. */
static void
wait_list_settled (void)
{
  wait_until (list_settled, "the rows read");
}

static gboolean
items_changed_and_painted (void)
{
  return child.items_changed_us != 0 && child.last_paint_us > child.items_changed_us;
}

/* The list shows @expected_text once its query is it. */
static const char *expected_text;

static void
on_items_changed_cb (PdmRecordListModel *model)
{
  const PdmQuery *query = pdm_record_list_model_get_query (model);

  if (child.items_changed_us == 0 && g_strcmp0 (query->text, expected_text) == 0)
    child.items_changed_us = g_get_monotonic_time ();
}

static gboolean
on_search_changed_hook (GSignalInvocationHint *hint,
                        guint                  n_values,
                        const GValue          *values,
                        gpointer               data)
{
  child.search_changed_us = g_get_monotonic_time ();

  return TRUE;
}

/* Sets @text as typed and waits for the list it brings, on screen. */
static void
type_search (GtkEditable *entry,
             const char  *text,
             double      *total_ms,
             double      *work_ms)
{
  gint64 start;

  child.search_changed_us = 0;
  child.items_changed_us = 0;
  expected_text = *text != '\0' ? text : NULL;
  start = g_get_monotonic_time ();
  gtk_editable_set_text (entry, text);
  wait_until (items_changed_and_painted, "the searched list");
  wait_list_settled ();
  if (total_ms != NULL)
    *total_ms = (child.last_paint_us - start) / 1000.0;
  if (work_ms != NULL)
    *work_ms = (child.last_paint_us - child.search_changed_us) / 1000.0;
}

static void
scroll_to (GtkAdjustment *adjustment,
           double         fraction,
           const char    *name)
{
  g_autofree char *phase = g_strconcat ("scroll_", name, NULL);
  gint64 start = g_get_monotonic_time ();
  double target;

  /* The height of the list is an estimate until the rows are measured:
   * aim again once it settles. */
  for (guint i = 0; i < 3; i++)
    {
      target = gtk_adjustment_get_lower (adjustment) +
               fraction * (gtk_adjustment_get_upper (adjustment) -
                           gtk_adjustment_get_page_size (adjustment) -
                           gtk_adjustment_get_lower (adjustment));
      gtk_adjustment_set_value (adjustment, target);
      wait_paints (2);
      wait_list_settled ();
    }
  g_print ("scroll_%s_frames_time %.1f ms\n", name, (child.last_paint_us - start) / 1000.0);
  g_print ("rss_1m_scrolled_%s %.1f MB\n", name, vm_rss_mb ());
  report_sql (phase);
}

static GtkWidget *
household_page (void)
{
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (child.window, PDM_TYPE_WINDOW,
                                                                "view_stack"));

  return adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack), "households");
}

static void
measure_list (void)
{
  static const struct { const char *name; const char *text; } queries[] = {
    { "sit", "sit" },
    { "siti_am", "siti am" },
    { "nik16", NULL },
    { "nik_prefix4", "1375" },
  };
  GtkWidget *page = household_page ();
  GListModel *model = pdm_household_page_get_model (PDM_HOUSEHOLD_PAGE (page));
  GObject *view = gtk_widget_get_template_child (page, PDM_TYPE_HOUSEHOLD_PAGE, "column_view");
  GtkEditable *entry = GTK_EDITABLE (gtk_widget_get_template_child (page, PDM_TYPE_HOUSEHOLD_PAGE,
                                                                    "search_entry"));
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  char nik[17];

  wait_list_settled ();
  g_print ("list_households %u rows\n", g_list_model_get_n_items (model));
  wait_paints (2);
  g_print ("rss_1m_first_frame %.1f MB\n", vm_rss_mb ());
  report_sql ("settle");

  scroll_to (adjustment, 0.5, "middle");
  scroll_to (adjustment, 1.0, "end");
  scroll_to (adjustment, 0.0, "top");

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), NULL);
  g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), 0,
                              on_search_changed_hook, NULL, NULL);
  /* A member of a household in the middle of the city. */
  person_nik (nik, child.n_persons / 2 + 2, household_kelurahan ((child.n_persons / 2 + 2) / 4));

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      const char *text = queries[q].text != NULL ? queries[q].text : nik;
      double total_ms[SEARCH_ROUNDS], work_ms[SEARCH_ROUNDS];
      g_autofree char *phase = g_strdup_printf ("search_%s", queries[q].name);
      guint n_rounds = 0;

      while (n_rounds < SEARCH_ROUNDS && (n_rounds == 0 || total_ms[0] < SLOW_SEARCH_MS))
        {
          type_search (entry, text, &total_ms[n_rounds], &work_ms[n_rounds]);
          if (n_rounds == 0)
            {
              g_print ("%s_rows %u rows\n", phase, g_list_model_get_n_items (model));
              g_print ("%s_first %.1f ms\n", phase, total_ms[0]);
              report_sql (phase);
            }
          n_rounds++;
          /* Cleared, as a person would: setting one text over another
           * passes through an empty entry, which GtkSearchEntry reports
           * at once, without its delay. */
          type_search (entry, "", NULL, NULL);
          report_sql ("clear");
        }
      g_print ("%s_median %.1f ms\n", phase, pdm_bench_median (total_ms, n_rounds));
      g_print ("%s_after_debounce_median %.1f ms\n", phase, pdm_bench_median (work_ms, n_rounds));
      g_print ("%s_rounds %u rounds\n", phase, n_rounds);
    }
  g_print ("rss_1m_after_searches %.1f MB\n", vm_rss_mb ());
}

/* The CPU time of the main thread so far: on a machine others use too,
 * the work the app did, where the wall-clock times also count the wait. */
static double
main_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);

  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

static gboolean
list_shown (void)
{
  return child.list_shown_us != 0;
}

static gboolean
measure_idle_cb (gpointer data)
{
  g_print ("first_frame_us %" G_GINT64_FORMAT "\n", child.first_paint_us - child.spawn_us);
  g_print ("first_frame_main_cpu %.1f ms\n", child.first_paint_cpu_ms);
  g_print ("startup_spawn_to_main %.1f ms\n", (child.main_us - child.spawn_us) / 1000.0);
  g_print ("startup_main_to_activate %.1f ms\n", (child.activate_us - child.main_us) / 1000.0);
  g_print ("startup_activate_window_build %.1f ms\n",
           (child.activated_us - child.activate_us) / 1000.0);
  g_print ("startup_activated_to_first_frame %.1f ms\n",
           (child.first_paint_us - child.activated_us) / 1000.0);
  g_print ("first_frame_rss %.1f MB\n", vm_rss_mb ());
  if (g_getenv ("PDM_UI_BENCH_RSS") != NULL)
    report_rss ("first_frame");
  /* What a person waits for: the first frame that shows the list read. */
  wait_until (list_shown, "the household list");
  g_print ("first_list_frame_us %" G_GINT64_FORMAT "\n", child.list_shown_us - child.spawn_us);
  g_print ("first_list_frame_main_cpu %.1f ms\n", child.list_shown_cpu_ms);
  g_print ("first_list_frame_rss %.1f MB\n", vm_rss_mb ());
  if (g_getenv ("PDM_UI_BENCH_RSS") != NULL)
    report_rss ("first_list_frame");
  if (child.full)
    {
      report_sql ("startup");
      measure_list ();
    }
  g_application_quit (G_APPLICATION (child.application));

  return G_SOURCE_REMOVE;
}

static void
on_after_paint_cb (void)
{
  child.last_paint_us = g_get_monotonic_time ();
  if (child.list_shown_us == 0 && child.loaded_us != 0 && child.attached_us != 0)
    {
      child.list_shown_us = child.last_paint_us;
      child.list_shown_cpu_ms = main_cpu_ms ();
    }
  if (child.n_paints++ == 0)
    {
      child.first_paint_us = child.last_paint_us;
      child.first_paint_cpu_ms = main_cpu_ms ();
      g_idle_add (measure_idle_cb, NULL);
    }
}

static void
on_loading_cb (PdmRecordListModel *model)
{
  if (!pdm_record_list_model_is_loading (model))
    child.loaded_us = g_get_monotonic_time ();
}

static void
on_view_model_cb (GtkColumnView *view)
{
  if (gtk_column_view_get_model (view) != NULL && child.attached_us == 0)
    child.attached_us = g_get_monotonic_time ();
}

static void
on_activate_cb (GApplication *application)
{
  if (child.activate_us == 0)
    child.activate_us = g_get_monotonic_time ();
}

static void
on_activated_cb (GApplication *application)
{
  GdkFrameClock *frame_clock;
  GtkWidget *page;
  GObject *view;

  if (child.window != NULL)
    return;

  child.activated_us = g_get_monotonic_time ();
  child.window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (application)));
  frame_clock = gtk_widget_get_frame_clock (child.window);
  if (frame_clock == NULL)
    g_error ("The window is not realized after activate");
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);

  page = household_page ();
  child.model = PDM_RECORD_LIST_MODEL (pdm_household_page_get_model (PDM_HOUSEHOLD_PAGE (page)));
  g_signal_connect (child.model, "notify::loading", G_CALLBACK (on_loading_cb), NULL);
  view = gtk_widget_get_template_child (page, PDM_TYPE_HOUSEHOLD_PAGE, "column_view");
  g_signal_connect (view, "notify::model", G_CALLBACK (on_view_model_cb), NULL);
  on_view_model_cb (GTK_COLUMN_VIEW (view));
}

/* Like app/main.c, with the bench's probes around the application. */
static int
child_main (gint64      spawn_us,
            const char *data_dir,
            guint       n_persons,
            gboolean    full)
{
  g_autoptr(PdmApplication) application = NULL;
  g_autofree char *id = NULL;
  const char *args[] = { "pendamping", "--data-dir", data_dir, NULL };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  child.main_us = g_get_monotonic_time ();
  child.spawn_us = spawn_us;
  child.n_persons = n_persons;
  child.full = full;
  child.main_thread = g_thread_self ();
  child.main_sql.by_sql = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  child.workers_sql.by_sql = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&child.workers_lock);
  sqlite3_auto_extension ((void (*) (void)) trace_connection);

  application = pdm_application_new ();
  child.application = application;
  /* Never hand the window to a Pendamping already running. */
  id = g_strdup_printf ("%s.UiBench%d", PDM_APPLICATION_ID, (int) getpid ());
  g_application_set_application_id (G_APPLICATION (application), id);
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  /* A Dinas Sosial computer: no first-run chooser, every household listed. */
  g_settings_set_boolean (pdm_application_get_settings (application), "dinas-mode", TRUE);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate_cb), NULL);
  g_signal_connect_after (application, "activate", G_CALLBACK (on_activated_cb), NULL);

  return g_application_run (G_APPLICATION (application), 3, (char **) args);
}

/* --- the parent ---------------------------------------------------------------- */

static char *self_path;
static char *n_persons_arg;

static double child_figure (const char *out,
                            const char *name);

/* Runs a child on @dir; returns its stdout and sets @first_frame_ms and
 * @first_list_frame_ms. */
static char *
run_child (const char *dir,
           gboolean    full,
           double     *first_frame_ms,
           double     *first_list_frame_ms)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spawn_us = NULL;
  g_autofree char *out = NULL;
  const char *line;

  spawn_us = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--child",
                              spawn_us, dir, n_persons_arg, full ? "full" : "startup", NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    g_error ("%s", error->message);
  if (!g_subprocess_get_successful (process))
    g_error ("The child on %s failed:\n%s", dir, out);

  line = strstr (out, "first_frame_us ");
  if (line == NULL)
    g_error ("The child on %s painted nothing:\n%s", dir, out);
  *first_frame_ms = g_ascii_strtoull (line + strlen ("first_frame_us "), NULL, 10) / 1000.0;
  if (first_list_frame_ms != NULL)
    *first_list_frame_ms = child_figure (out, "first_list_frame_us") / 1000.0;

  return g_steal_pointer (&out);
}

static double
child_figure (const char *out,
              const char *name)
{
  g_autofree char *key = g_strconcat (name, " ", NULL);
  const char *line = strstr (out, key);

  return line != NULL ? g_ascii_strtod (line + strlen (key), NULL) : -1;
}

static void
remove_dir (const char *dir)
{
  static const char * const names[] = { "pendamping.db", "pendamping.db-wal", "pendamping.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *empty_dir = NULL;
  g_autofree char *city_dir = NULL;
  g_autofree char *full_out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *empty_path = NULL;
  PdmDatabase *empty;
  gboolean reused;
  static const char * const phases[] = {
    "startup_main_to_activate", "startup_activate_window_build", "startup_activated_to_first_frame",
  };
  double empty_ms[STARTUP_ROUNDS], city_ms[STARTUP_ROUNDS], empty_rss = 0, city_rss = 0;
  double empty_list_ms[STARTUP_ROUNDS], city_list_ms[STARTUP_ROUNDS];
  double empty_list_rss = 0, city_list_rss = 0;
  double empty_cpu_ms[STARTUP_ROUNDS], city_cpu_ms[STARTUP_ROUNDS];
  double empty_list_cpu_ms[STARTUP_ROUNDS], city_list_cpu_ms[STARTUP_ROUNDS];
  guint n_persons;
  gint64 start;

  if (argc == 6 && g_str_equal (argv[1], "--child"))
    return child_main (g_ascii_strtoll (argv[2], NULL, 10), argv[3],
                       (guint) g_ascii_strtoull (argv[4], NULL, 10), g_str_equal (argv[5], "full"));

  n_persons = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  if (n_persons < 4000 || g_getenv ("DISPLAY") == NULL)
    g_error ("Usage, under X11 and a session bus: %s [N_PERSONS (at least 4000)]", argv[0]);

  n_persons_arg = g_strdup_printf ("%u", n_persons);
  self_path = g_file_read_link ("/proc/self/exe", &error);
  if (self_path == NULL)
    g_error ("%s", error->message);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", PDM_BENCH_SCHEMA_DIR, TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);

  /* PDM_UI_BENCH_DIR=DIR runs on the databases a PDM_UI_BENCH_KEEP run
   * kept in DIR (for the same N_PERSONS) instead of filling new ones. */
  reused = g_getenv ("PDM_UI_BENCH_DIR") != NULL;
  root = reused ? g_strdup (g_getenv ("PDM_UI_BENCH_DIR"))
                : g_dir_make_tmp ("pendamping-ui-bench-XXXXXX", &error);
  if (root == NULL)
    g_error ("%s", error->message);
  empty_dir = g_build_filename (root, "empty", NULL);
  city_dir = g_build_filename (root, "city", NULL);
  path = g_build_filename (city_dir, "pendamping.db", NULL);
  if (reused && !g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("No kept database in %s", root);

  if (!reused)
    {
      g_mkdir (empty_dir, 0700);
      g_mkdir (city_dir, 0700);
      /* Both databases exist before the first start, so both starts only open. */
      empty_path = g_build_filename (empty_dir, "pendamping.db", NULL);
      empty = pdm_database_open (empty_path, &error);
      if (empty == NULL)
        g_error ("%s", error->message);
      g_clear_object (&empty);
      start = g_get_monotonic_time ();
      fill (path, n_persons);
      g_print ("fill_persons %u rows\n", n_persons);
      g_print ("fill_time %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
    }

  /* Alternating, so both see the same warm caches; a first start warms
   * the shared libraries, and the fill left the file in the page cache. */
  g_free (run_child (empty_dir, FALSE, &empty_ms[0], NULL));
  for (guint r = 0; r < STARTUP_ROUNDS; r++)
    {
      g_autofree char *empty_out = run_child (empty_dir, FALSE, &empty_ms[r], &empty_list_ms[r]);
      g_autofree char *city_out = run_child (city_dir, FALSE, &city_ms[r], &city_list_ms[r]);

      empty_rss = child_figure (empty_out, "first_frame_rss");
      city_rss = child_figure (city_out, "first_frame_rss");
      empty_list_rss = child_figure (empty_out, "first_list_frame_rss");
      city_list_rss = child_figure (city_out, "first_list_frame_rss");
      empty_cpu_ms[r] = child_figure (empty_out, "first_frame_main_cpu");
      city_cpu_ms[r] = child_figure (city_out, "first_frame_main_cpu");
      empty_list_cpu_ms[r] = child_figure (empty_out, "first_list_frame_main_cpu");
      city_list_cpu_ms[r] = child_figure (city_out, "first_list_frame_main_cpu");
      if (r + 1 == STARTUP_ROUNDS)
        for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
          {
            g_print ("%s_empty %.1f ms\n", phases[p], child_figure (empty_out, phases[p]));
            g_print ("%s_1m %.1f ms\n", phases[p], child_figure (city_out, phases[p]));
          }
    }
  g_print ("first_frame_empty_median %.1f ms\n", pdm_bench_median (empty_ms, STARTUP_ROUNDS));
  g_print ("first_frame_1m_median %.1f ms\n", pdm_bench_median (city_ms, STARTUP_ROUNDS));
  g_print ("first_frame_ratio %.2f x\n",
           pdm_bench_median (city_ms, STARTUP_ROUNDS) / pdm_bench_median (empty_ms, STARTUP_ROUNDS));
  g_print ("rss_empty_first_frame %.1f MB\n", empty_rss);
  g_print ("rss_1m_startup_run_first_frame %.1f MB\n", city_rss);
  /* The list is read in a worker: the first frame may show it still
   * being read; these are the first frames that show it. */
  g_print ("first_list_frame_empty_median %.1f ms\n", pdm_bench_median (empty_list_ms, STARTUP_ROUNDS));
  g_print ("first_list_frame_1m_median %.1f ms\n", pdm_bench_median (city_list_ms, STARTUP_ROUNDS));
  g_print ("first_list_frame_ratio %.2f x\n",
           pdm_bench_median (city_list_ms, STARTUP_ROUNDS) / pdm_bench_median (empty_list_ms, STARTUP_ROUNDS));
  /* The main thread's CPU time until then: steadier than the wall clock
   * on a machine others use at the same time. */
  g_print ("first_frame_main_cpu_empty_median %.1f ms\n", pdm_bench_median (empty_cpu_ms, STARTUP_ROUNDS));
  g_print ("first_frame_main_cpu_1m_median %.1f ms\n", pdm_bench_median (city_cpu_ms, STARTUP_ROUNDS));
  g_print ("first_list_frame_main_cpu_empty_median %.1f ms\n",
           pdm_bench_median (empty_list_cpu_ms, STARTUP_ROUNDS));
  g_print ("first_list_frame_main_cpu_1m_median %.1f ms\n",
           pdm_bench_median (city_list_cpu_ms, STARTUP_ROUNDS));
  g_print ("rss_empty_first_list_frame %.1f MB\n", empty_list_rss);
  g_print ("rss_1m_startup_run_first_list_frame %.1f MB\n", city_list_rss);

  /* One full run: memory while scrolling, and searching. */
  full_out = run_child (city_dir, TRUE, &city_ms[0], NULL);
  g_print ("%s", full_out);

  /* PDM_UI_BENCH_KEEP=1 keeps the databases, to profile a child by hand
   * or to run again with PDM_UI_BENCH_DIR. */
  if (reused || g_getenv ("PDM_UI_BENCH_KEEP") != NULL)
    {
      g_printerr ("# kept %s\n", root);
      return 0;
    }
  remove_dir (empty_dir);
  remove_dir (city_dir);
  g_rmdir (root);

  return 0;
}
