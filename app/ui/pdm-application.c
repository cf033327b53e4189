/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-application"

#include "config.h"

#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pdm-application.h"
#include "pdm-preferences-window.h"
#include "pdm-resources.h"
#include "pdm-util.h"
#include "pdm-window.h"

struct _PdmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  PdmDatabase    *database;
  PdmRepository  *repository;
  PdmSearch      *search;
  PdmListReader  *list_reader;
  PdmRegions     *regions;
  GError         *database_error;

  /* From --data-dir; NULL means the user data folder. */
  char           *data_dir;
  /* The server this run talks to: --server, else the saved setting. */
  char           *server_url;
  gboolean        server_url_from_command_line;

  /* Sync: the engine once a server is set, the scheduler once this
   * computer is enrolled with it. */
  PdmSyncEngine    *sync_engine;
  PdmSyncScheduler *sync_scheduler;
  GCancellable     *sync_cancellable;
  gboolean          applying_sync;
};

G_DEFINE_FINAL_TYPE (PdmApplication, pdm_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_SYNC_SCHEDULER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RECORDS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const GOptionEntry option_entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep the local database in DIR instead of the user data folder"), N_("DIR") },
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Talk to the central server at URL for this run"), N_("URL") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

/* Without a GPU it can use, GTK 4.8 loads Mesa's llvmpipe when it opens
 * the display, about 45 MB of LLVM, then draws with OpenGL on it, with
 * glyph and texture caches in plain memory: some 130 MB in all, and no
 * faster than drawing with cairo. A computer that has no DRM render node
 * we may open has no such GPU: a kelurahan PC without graphics drivers, a
 * virtual machine, a remote desktop. GSK_RENDERER or GDK_DEBUG, when set,
 * still decide. */
static void
choose_renderer (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("GDK_DEBUG") != NULL)
    return;

  dir = g_dir_open ("/dev/dri", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/dev/dri", name, NULL);

      if (g_str_has_prefix (name, "renderD") && g_access (path, R_OK | W_OK) == 0)
        return;
    }

  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

/* Call it at the start of main(), before any thread: it may set an
 * environment variable. */
PdmApplication *
pdm_application_new (void)
{
  choose_renderer ();

  return g_object_new (PDM_TYPE_APPLICATION,
                       "application-id", PDM_APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", PDM_RESOURCE_BASE_PATH,
                       NULL);
}

GSettings *
pdm_application_get_settings (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  return self->settings;
}

PdmDatabase *
pdm_application_get_database (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  return self->database;
}

/* NULL when the database could not be opened. */
PdmRepository *
pdm_application_get_repository (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  return self->repository;
}

/* The lists' reader, on the main thread's connection. */
PdmSearch *
pdm_application_get_search (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  return self->search;
}

/* The lists' reader, on a connection of its own; NULL when the database
 * could not be opened. */
PdmListReader *
pdm_application_get_list_reader (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  if (self->list_reader == NULL && self->database != NULL)
    self->list_reader = pdm_list_reader_new (pdm_database_get_path (self->database));

  return self->list_reader;
}

PdmRegions *
pdm_application_get_regions (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  if (self->regions == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->regions = pdm_regions_new (&error);
      /* The list is compiled into the program: failing to read it is a bug. */
      if (self->regions == NULL)
        g_error ("The region list is broken: %s", error->message);
    }

  return self->regions;
}

/**
 * pdm_application_records_changed:
 * @table: the kind of record that was written
 *
 * Tells every list that records of @table were saved, deleted or restored,
 * so they read their rows again. Whoever writes (an editor, undo, sync)
 * calls it after the transaction is committed.
 */
void
pdm_application_records_changed (PdmApplication *self,
                                 PdmTable        table)
{
  g_return_if_fail (PDM_IS_APPLICATION (self));
  g_return_if_fail (table < PDM_N_TABLES);

  g_signal_emit (self, signals[RECORDS_CHANGED], 0, (guint) table);

  /* A local write goes to the server a little later; what sync itself
   * merged does not need sending back. */
  if (self->sync_scheduler != NULL && !self->applying_sync)
    pdm_sync_scheduler_notify_local_change (self->sync_scheduler);
}

const char *
pdm_application_get_server_url (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  return self->server_url;
}

/* Saves @server_url as the setting and uses it from now on. */
void
pdm_application_set_server_url (PdmApplication *self,
                                const char     *server_url)
{
  g_return_if_fail (PDM_IS_APPLICATION (self));

  if (server_url == NULL)
    server_url = "";

  g_settings_set_string (self->settings, "server-url", server_url);
  self->server_url_from_command_line = FALSE;

  if (pdm_set_string (&self->server_url, server_url))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
      pdm_application_reload_sync (self);
    }
}

/* NULL while no server is set or the database is not open. */
PdmSyncEngine *
pdm_application_get_sync_engine (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  return self->sync_engine;
}

/* NULL until this computer is enrolled with the server. */
PdmSyncScheduler *
pdm_application_get_sync_scheduler (PdmApplication *self)
{
  g_return_val_if_fail (PDM_IS_APPLICATION (self), NULL);

  return self->sync_scheduler;
}

static void
set_sync_scheduler (PdmApplication   *self,
                    PdmSyncScheduler *scheduler)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync");

  if (self->sync_scheduler == scheduler)
    return;

  g_clear_object (&self->sync_scheduler);
  self->sync_scheduler = scheduler;
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), scheduler != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_SCHEDULER]);
}

static void
on_synced_cb (PdmApplication      *self,
              const PdmSyncReport *report)
{
  if (report->pulled == 0 && report->removed == 0)
    return;

  /* Lists refresh in place with what the server sent. */
  self->applying_sync = TRUE;
  for (guint table = 0; table < PDM_N_TABLES; table++)
    pdm_application_records_changed (self, table);
  self->applying_sync = FALSE;
}

static void
on_sync_status_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdmApplication) self = user_data;
  PdmSyncEngine *engine = PDM_SYNC_ENGINE (object);
  g_autoptr(PdmSyncStatus) status = NULL;
  g_autoptr(PdmSyncScheduler) scheduler = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  status = pdm_sync_engine_get_status_finish (engine, result, &error);
  if (engine != self->sync_engine)
    return;
  if (status == NULL)
    {
      g_debug ("No sync status: %s", error->message);
      return;
    }
  if (status->server_id == NULL)
    return;

  token = pdm_token_store_load (pdm_sync_engine_get_token_store (engine), status->server_id,
                                self->sync_cancellable, &error);
  if (token == NULL)
    {
      if (error != NULL)
        g_debug ("No device token: %s", error->message);
      return;
    }

  scheduler = pdm_sync_scheduler_new (engine, NULL);
  g_signal_connect_object (scheduler, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  set_sync_scheduler (self, g_object_ref (scheduler));
  pdm_sync_scheduler_start (scheduler);
}

/**
 * pdm_application_reload_sync:
 *
 * Makes the sync engine for the current server and, when this computer
 * is enrolled with it, starts syncing; call it after an enrollment.
 */
void
pdm_application_reload_sync (PdmApplication *self)
{
  g_return_if_fail (PDM_IS_APPLICATION (self));

  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  set_sync_scheduler (self, NULL);
  g_clear_object (&self->sync_engine);

  if (self->database == NULL || self->server_url == NULL || *self->server_url == '\0')
    return;

  self->sync_cancellable = g_cancellable_new ();
  self->sync_engine = pdm_sync_engine_new (pdm_database_get_path (self->database),
                                           self->server_url);
  pdm_sync_engine_get_status_async (self->sync_engine, self->sync_cancellable,
                                    on_sync_status_cb, g_object_ref (self));
}

static void
open_database (PdmApplication *self)
{
  g_autofree char *path = NULL;

  if (self->database != NULL || self->database_error != NULL)
    return;

  if (self->data_dir != NULL)
    path = g_build_filename (self->data_dir, "pendamping.db", NULL);
  else
    path = pdm_database_get_default_path ();

  self->database = pdm_database_open (path, &self->database_error);
  if (self->database != NULL)
    self->repository = pdm_repository_new (self->database, &self->database_error);
  if (self->repository != NULL)
    self->search = pdm_search_new (self->database, &self->database_error);
  if (self->database_error != NULL)
    {
      g_debug ("Database refused: %s", self->database_error->message);
      g_clear_object (&self->search);
      g_clear_object (&self->repository);
      g_clear_object (&self->database);
    }
}

static void
pdm_application_activate (GApplication *application)
{
  PdmApplication *self = PDM_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      open_database (self);
      if (self->sync_engine == NULL)
        pdm_application_reload_sync (self);
      window = GTK_WINDOW (pdm_window_new (self));
      if (self->database_error != NULL)
        pdm_window_show_database_error (PDM_WINDOW (window), self->database_error);
    }

  gtk_window_present (window);
}

static int
pdm_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  PdmApplication *self = PDM_APPLICATION (application);
  const char *server_url = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "pendamping", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "data-dir", "^ay", &self->data_dir);
  if (g_variant_dict_lookup (options, "server", "&s", &server_url))
    {
      pdm_set_string (&self->server_url, server_url);
      self->server_url_from_command_line = TRUE;
    }

  return G_APPLICATION_CLASS (pdm_application_parent_class)->handle_local_options (application,
                                                                                  options);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  PdmApplication *self = PDM_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  PdmPreferencesWindow *preferences;

  preferences = pdm_preferences_window_new (self);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PdmApplication *self = PDM_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { _("The Pendamping developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", "Pendamping",
                        "application-icon", PDM_APPLICATION_ID,
                        "developer-name", _("The Pendamping developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("The offline field data collector of the community social "
                                      "workers (PSM) of Kota Bukittinggi: volunteers, DTSEN "
                                      "households, visits and training evaluations, synced "
                                      "with the Dinas Sosial."),
                        "website", "https://github.com/pendamping/pendamping",
                        "issue-url", "https://github.com/pendamping/pendamping/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Pendamping developers",
                        /* Translators: your name and e-mail, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sync_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PdmApplication *self = PDM_APPLICATION (user_data);

  if (self->sync_scheduler != NULL)
    pdm_sync_scheduler_sync_now (self->sync_scheduler);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "sync", sync_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

static void
pdm_application_startup (GApplication *application)
{
  PdmApplication *self = PDM_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *shortcuts_accels[] = { "<Control>question", "F1", NULL };
  const char *close_accels[] = { "<Control>w", NULL };
  const char *sync_accels[] = { "F5", "<Control>r", NULL };

  G_APPLICATION_CLASS (pdm_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync", sync_accels);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "sync")),
                               self->sync_scheduler != NULL);
}

static void
pdm_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdmApplication *self = PDM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    case PROP_SYNC_SCHEDULER:
      g_value_set_object (value, self->sync_scheduler);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_application_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdmApplication *self = PDM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      pdm_application_set_server_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_application_dispose (GObject *object)
{
  PdmApplication *self = (PdmApplication *)object;

  /* A run in flight ends with the scheduler; nothing waits for it. */
  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  g_clear_object (&self->sync_scheduler);
  g_clear_object (&self->sync_engine);

  G_OBJECT_CLASS (pdm_application_parent_class)->dispose (object);
}

static void
pdm_application_finalize (GObject *object)
{
  PdmApplication *self = (PdmApplication *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->list_reader);
  g_clear_object (&self->search);
  g_clear_object (&self->repository);
  g_clear_object (&self->regions);
  g_clear_object (&self->database);
  g_clear_error (&self->database_error);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->server_url, g_free);

  G_OBJECT_CLASS (pdm_application_parent_class)->finalize (object);
}

static void
pdm_application_class_init (PdmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pdm_application_dispose;
  object_class->finalize = pdm_application_finalize;
  object_class->get_property = pdm_application_get_property;
  object_class->set_property = pdm_application_set_property;

  application_class->activate = pdm_application_activate;
  application_class->startup = pdm_application_startup;
  application_class->handle_local_options = pdm_application_handle_local_options;

  pdm_register_resource ();

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Set once this computer is enrolled with the server. */
  properties[PROP_SYNC_SCHEDULER] =
    g_param_spec_object ("sync-scheduler", NULL, NULL,
                         PDM_TYPE_SYNC_SCHEDULER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdmApplication::records-changed:
   * @table: the #PdmTable whose records were written
   *
   * Records were saved, deleted or restored; lists read their rows again.
   */
  signals[RECORDS_CHANGED] =
    g_signal_new ("records-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
pdm_application_init (PdmApplication *self)
{
  self->settings = g_settings_new ("io.github.pendamping.Pendamping");
  self->server_url = g_settings_get_string (self->settings, "server-url");

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The field data collector of the community "
                                              "social workers (PSM) of Kota Bukittinggi."));
}
