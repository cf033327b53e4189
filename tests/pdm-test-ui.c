/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-test-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-record-list-model.h"
#include "pdm-rules.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"

/* Run before anything else: the tests read the Indonesian interface, from
 * this build's catalogue, and see the end state of every transition. */
void
pdm_test_ui_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  pdm_test_use_indonesian ();

  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

/* Each test app has an id of its own, so it never hands its window to a
 * running Pendamping, nor meets an earlier test's app on the session bus. */
PdmApplication *
pdm_test_ui_new_application (void)
{
  static guint n_applications;
  PdmApplication *application = pdm_application_new ();
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  id = g_strdup_printf ("%s.Test%u", PDM_APPLICATION_ID, ++n_applications);
  g_application_set_application_id (G_APPLICATION (application), id);
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  return application;
}

/* Mapped and laid out: the window of a PdmTestUi has a size a person
 * could see. A condition for pdm_test_wait_for(). */
gboolean
pdm_test_ui_window_is_mapped (gpointer data)
{
  PdmTestUi *fixture = data;

  return fixture->window != NULL && gtk_widget_get_mapped (GTK_WIDGET (fixture->window)) &&
         gtk_widget_get_width (GTK_WIDGET (fixture->window)) > 0;
}

/* @kelurahan_code: the kelurahan chosen at an earlier start, NULL for a
 * first start. */
void
pdm_test_ui_start (PdmTestUi  *fixture,
                   const char *server_url,
                   const char *kelurahan_code)
{
  fixture->data_dir = pdm_test_make_tmp_dir ();
  g_setenv ("PENDAMPING_DATA_DIR", fixture->data_dir, TRUE);

  fixture->application = pdm_test_ui_new_application ();

  if (server_url != NULL)
    pdm_application_set_server_url (fixture->application, server_url);
  if (kelurahan_code != NULL)
    g_settings_set_string (pdm_application_get_settings (fixture->application),
                           "kelurahan-code", kelurahan_code);

  g_application_activate (G_APPLICATION (fixture->application));
  fixture->window = PDM_WINDOW (gtk_application_get_active_window (
    GTK_APPLICATION (fixture->application)));
  g_assert_nonnull (fixture->window);
  g_assert_true (pdm_test_wait_for (NULL, pdm_test_ui_window_is_mapped, fixture, PDM_TEST_WAIT_MS));
}

/* The memory settings backend lives as long as the process: give the next
 * test the defaults again. */
static void
reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

void
pdm_test_ui_stop (PdmTestUi *fixture)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->application));

  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (GTK_APPLICATION (fixture->application));
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;

  reset_settings (pdm_application_get_settings (fixture->application));
  g_clear_object (&fixture->application);
  pdm_test_remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
  g_unsetenv ("PENDAMPING_DATA_DIR");
}

static void
count_paint_cb (guint *n_paints)
{
  (*n_paints)++;
}

static gboolean
painted (gpointer data)
{
  guint *n_paints = data;

  return *n_paints >= 1;
}

static gboolean
painted_twice (gpointer data)
{
  guint *n_paints = data;

  return *n_paints >= 2;
}

/* @widget, a window, as it shows once it has painted: what a person sees,
 * drawn by the window's renderer. */
GdkTexture *
pdm_test_ui_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  GdkFrameClock *frame_clock;
  guint n_paints = 0;
  gulong handler;
  int width, height;

  /* Let the window paint a few frames so layout and styles are settled. */
  frame_clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect_swapped (frame_clock, "after-paint",
                                      G_CALLBACK (count_paint_cb), &n_paints);
  /* A window at rest paints once for each queued draw. */
  gtk_widget_queue_draw (widget);
  g_assert_true (pdm_test_wait_for (NULL, painted, &n_paints, PDM_TEST_WAIT_MS));
  gtk_widget_queue_draw (widget);
  g_assert_true (pdm_test_wait_for (NULL, painted_twice, &n_paints, PDM_TEST_WAIT_MS));
  g_signal_handler_disconnect (frame_clock, handler);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Saves the window as a PNG when PDM_SCREENSHOT_DIR is set. */
void
pdm_test_ui_save_screenshot (GtkWidget  *widget,
                             const char *name)
{
  const char *dir = g_getenv ("PDM_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  texture = pdm_test_ui_render (widget);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot saved to %s", path);
}

/* The first of @widget and the widgets under it, depth first, that
 * @matches (given @data), or NULL. */
GtkWidget *
pdm_test_ui_find_widget (GtkWidget  *widget,
                         gboolean  (*matches) (GtkWidget    *widget,
                                               gconstpointer data),
                         gconstpointer data)
{
  if (matches (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pdm_test_ui_find_widget (child, matches, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  mnemonic)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), mnemonic) == 0;
}

/* The button labelled @mnemonic inside @widget, or NULL. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *mnemonic)
{
  return pdm_test_ui_find_widget (widget, is_button_labelled, mnemonic);
}

/* Saves a record of @table with the fields and values given in pairs
 * (up to a NULL field) straight through the rules, as the test's
 * starting point, and tells the app's lists.
 * Returns: (transfer full): the record as saved, with its id */
PdmRecord *
pdm_test_ui_save_record (PdmTestUi  *fixture,
                         PdmTable    table,
                         const char *first_field,
                         ...)
{
  PdmRecord *record = pdm_record_new (table);
  g_autoptr(GError) error = NULL;
  const char *field = first_field;
  va_list args;

  va_start (args, first_field);
  for (; field != NULL; field = va_arg (args, const char *))
    pdm_record_set (record, field, va_arg (args, const char *));
  va_end (args);

  g_assert_true (pdm_rules_save (pdm_application_get_repository (fixture->application), record,
                                 NULL, NULL, &error));
  g_assert_no_error (error);
  pdm_application_records_changed (fixture->application, table);

  return record;
}

/* The first window of @application that is a @type, or NULL. */
GtkWindow *
pdm_test_ui_find_window (PdmApplication *application,
                         GType           type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;

  return NULL;
}

/* The template child @name of @widget, as its own class declares it. */
GObject *
pdm_test_ui_get_child (gpointer    widget,
                       const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, G_OBJECT_TYPE (widget), name);

  g_assert_nonnull (child);

  return child;
}

static gboolean
list_read (gpointer data)
{
  return !pdm_record_list_model_is_loading (data);
}

/* Waits until @list, a PdmRecordListModel, has read what it shows: it
 * reads in a worker thread, and a person waits for the rows to appear. */
void
pdm_test_ui_wait_listed (GListModel *list)
{
  g_assert_true (PDM_IS_RECORD_LIST_MODEL (list));
  g_assert_true (pdm_test_wait_for (NULL, list_read, list, PDM_TEST_WAIT_MS));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Activates @action of @window and waits until @window is destroyed, as
 * an editor is after a good Save. */
void
pdm_test_ui_activate_until_closed (GtkWindow  *window,
                                   const char *action)
{
  gpointer pointer = window;

  g_object_add_weak_pointer (G_OBJECT (window), &pointer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  g_assert_true (pdm_test_wait_for (NULL, pointer_cleared, &pointer, PDM_TEST_WAIT_MS));
}

typedef struct
{
  GtkWidget *window;
  int        width;
} SizeWait;

static gboolean
window_has_width (gpointer data)
{
  SizeWait *wait = data;

  /* Give or take the client-side decoration's margin. */
  return ABS (gtk_widget_get_width (wait->window) - wait->width) <= 24;
}

/* Resizes @window as a person would, to the screens of the kelurahan
 * offices (1366×768, 1024×600), and waits until it has the width. The X
 * screen must be at least as large (build-aux/run-tests.sh). */
void
pdm_test_ui_set_window_size (GtkWindow *window,
                             int        width,
                             int        height)
{
  SizeWait wait = { GTK_WIDGET (window), width };

  gtk_window_set_default_size (window, width, height);
  g_assert_true (pdm_test_wait_for (NULL, window_has_width, &wait, PDM_TEST_WAIT_MS));
}

/* The button labelled @mnemonic on the row of @widget's tree whose title
 * holds @title_part, or NULL. */
GtkWidget *
pdm_test_ui_find_row_button (GtkWidget  *widget,
                             const char *title_part,
                             const char *mnemonic)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title_part) != NULL)
    return find_button (widget, mnemonic);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pdm_test_ui_find_row_button (child, title_part, mnemonic);

      if (found != NULL)
        return found;
    }

  return NULL;
}
