/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-scheduler"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-sync-client.h"
#include "pdm-sync-scheduler.h"

/*
 * Decides when to sync: at start, a few seconds after local edits (so a
 * person typing a form does not start a run per field), when the network
 * comes back, and on demand. A failed run is retried after a delay that
 * doubles up to a ceiling, with jitter so that the PCs of a city that lost
 * the server together do not come back in step. Never two runs at once.
 */

#define DEFAULT_DEBOUNCE_MS      3000
#define DEFAULT_RETRY_INITIAL_MS 5000
#define DEFAULT_RETRY_MAX_MS     (15 * 60 * 1000)
#define JITTER                   0.2

struct _PdmSyncScheduler
{
  GObject          parent_instance;

  PdmSyncEngine   *engine;
  GNetworkMonitor *network_monitor;
  GCancellable    *cancellable;

  PdmSyncState     state;
  guint            pending;
  gint64           last_sync;
  char            *last_error;

  guint            debounce_ms;
  guint            retry_initial_ms;
  guint            retry_max_ms;
  guint            retry_delay_ms;
  guint            n_failures;

  guint            timeout_id;
  gboolean         running;
  gboolean         has_run;
  gboolean         again;
};

G_DEFINE_FINAL_TYPE (PdmSyncScheduler, pdm_sync_scheduler, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PdmSyncState, pdm_sync_state,
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_STATE_WAITING_RETRY, "waiting-retry"),
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_STATE_UNAUTHORIZED, "unauthorized"))

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_NETWORK_MONITOR,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  PROP_DEBOUNCE_MS,
  PROP_RETRY_INITIAL_MS,
  PROP_RETRY_MAX_MS,
  PROP_RETRY_DELAY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SYNCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_sync (PdmSyncScheduler *self);

/* Callbacks hold the scheduler weakly: dropping the last reference stops
 * it (dispose cancels the run) instead of a run keeping it alive. */
static GWeakRef *
weak_ref_new (PdmSyncScheduler *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);

  return ref;
}

static PdmSyncScheduler *
weak_ref_steal (GWeakRef *ref)
{
  PdmSyncScheduler *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);

  return self;
}

static void
set_state (PdmSyncScheduler *self,
           PdmSyncState      state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pending (PdmSyncScheduler *self,
             guint             pending)
{
  if (self->pending == pending)
    return;

  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
set_last_error (PdmSyncScheduler *self,
                const char       *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_last_sync (PdmSyncScheduler *self,
               gint64            last_sync)
{
  if (self->last_sync == last_sync)
    return;

  self->last_sync = last_sync;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

static gboolean
network_available (PdmSyncScheduler *self)
{
  return g_network_monitor_get_network_available (self->network_monitor);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  PdmSyncScheduler *self = user_data;

  self->timeout_id = 0;
  run_sync (self);

  return G_SOURCE_REMOVE;
}

static void
schedule (PdmSyncScheduler *self,
          guint             delay_ms)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (delay_ms, on_timeout_cb, self);
}

/* initial * 2^failures, capped, then ±20 %. */
static guint
next_retry_delay (PdmSyncScheduler *self)
{
  double delay = self->retry_initial_ms;

  for (guint i = 1; i < self->n_failures && delay < self->retry_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (double) self->retry_max_ms);
  delay *= 1.0 + g_random_double_range (-JITTER, JITTER);

  return (guint) MAX (delay, 1.0);
}

static void
on_status_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdmSyncScheduler) self = weak_ref_steal (user_data);
  g_autoptr(PdmSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = pdm_sync_engine_get_status_finish (PDM_SYNC_ENGINE (object), result, &error);
  if (self == NULL)
    return;
  if (status == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (self, error->message);
      return;
    }

  set_pending (self, status->pending);
  /* What an earlier session recorded; a run's own result is newer. */
  if (!self->has_run)
    {
      set_last_sync (self, status->last_sync);
      set_last_error (self, status->last_error);
    }
}

static void
refresh_status (PdmSyncScheduler *self)
{
  pdm_sync_engine_get_status_async (self->engine, self->cancellable,
                                    on_status_cb, weak_ref_new (self));
}

static void
on_sync_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PdmSyncScheduler) self = weak_ref_steal (user_data);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = pdm_sync_engine_sync_finish (PDM_SYNC_ENGINE (object), result, &error);
  if (self == NULL)
    return;
  self->running = FALSE;
  self->has_run = TRUE;

  if (report != NULL)
    {
      self->n_failures = 0;
      self->retry_delay_ms = 0;
      set_pending (self, report->pending);
      set_last_sync (self, g_get_real_time () / G_USEC_PER_SEC);
      set_last_error (self, NULL);
      set_state (self, PDM_SYNC_STATE_IDLE);
      g_signal_emit (self, signals[SYNCED], 0, report);

      /* Edits made while it pulled wait in the outbox. */
      if (self->again || report->pending > 0)
        schedule (self, self->again ? 0 : self->debounce_ms);
      self->again = FALSE;
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!g_cancellable_is_cancelled (self->cancellable))
        set_state (self, PDM_SYNC_STATE_IDLE);
      return;
    }

  self->again = FALSE;
  set_last_error (self, error->message);
  refresh_status (self);

  if (g_error_matches (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNAUTHORIZED))
    {
      /* Only a new enrollment helps; retrying would only fail again. */
      set_state (self, PDM_SYNC_STATE_UNAUTHORIZED);
      return;
    }

  if (!network_available (self))
    {
      set_state (self, PDM_SYNC_STATE_OFFLINE);
      return;
    }

  self->n_failures++;
  self->retry_delay_ms = next_retry_delay (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY_MS]);
  set_state (self, PDM_SYNC_STATE_WAITING_RETRY);
  schedule (self, self->retry_delay_ms);
}

static void
run_sync (PdmSyncScheduler *self)
{
  if (self->running)
    {
      self->again = TRUE;
      return;
    }

  /* An enrollment holds the engine; try once it is done. */
  if (pdm_sync_engine_get_busy (self->engine))
    {
      schedule (self, self->debounce_ms);
      return;
    }

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->running = TRUE;
  set_state (self, PDM_SYNC_STATE_SYNCING);
  pdm_sync_engine_sync_async (self->engine, self->cancellable, on_sync_cb, weak_ref_new (self));
}

static void
on_network_changed_cb (GNetworkMonitor  *monitor,
                       gboolean          available,
                       PdmSyncScheduler *self)
{
  if (!available)
    {
      if (!self->running && self->state != PDM_SYNC_STATE_UNAUTHORIZED)
        {
          g_clear_handle_id (&self->timeout_id, g_source_remove);
          set_state (self, PDM_SYNC_STATE_OFFLINE);
        }
      return;
    }

  /* Back online: what waited for the network goes now, without the
   * delay a failure earned. */
  if (self->state == PDM_SYNC_STATE_OFFLINE || self->state == PDM_SYNC_STATE_WAITING_RETRY)
    {
      self->n_failures = 0;
      run_sync (self);
    }
}

/**
 * pdm_sync_scheduler_start:
 * @self: a #PdmSyncScheduler
 *
 * Reads the sync status from the database and syncs once if the network
 * is there; call it when the app starts.
 */
void
pdm_sync_scheduler_start (PdmSyncScheduler *self)
{
  g_return_if_fail (PDM_IS_SYNC_SCHEDULER (self));

  refresh_status (self);

  if (network_available (self))
    run_sync (self);
  else
    set_state (self, PDM_SYNC_STATE_OFFLINE);
}

/**
 * pdm_sync_scheduler_notify_local_change:
 * @self: a #PdmSyncScheduler
 *
 * Tells that a record was written here; a sync follows once the edits
 * have paused for #PdmSyncScheduler:debounce-ms.
 */
void
pdm_sync_scheduler_notify_local_change (PdmSyncScheduler *self)
{
  g_return_if_fail (PDM_IS_SYNC_SCHEDULER (self));

  refresh_status (self);

  switch (self->state)
    {
    case PDM_SYNC_STATE_SYNCING:
      self->again = TRUE;
      break;

    case PDM_SYNC_STATE_IDLE:
      schedule (self, self->debounce_ms);
      break;

    /* These wait for the network, a retry or an enrollment. */
    case PDM_SYNC_STATE_WAITING_RETRY:
    case PDM_SYNC_STATE_OFFLINE:
    case PDM_SYNC_STATE_UNAUTHORIZED:
    default:
      break;
    }
}

/**
 * pdm_sync_scheduler_sync_now:
 * @self: a #PdmSyncScheduler
 *
 * Syncs at once (the "Sync now" button, or after an enrollment); if a run
 * is under way, another follows it.
 */
void
pdm_sync_scheduler_sync_now (PdmSyncScheduler *self)
{
  g_return_if_fail (PDM_IS_SYNC_SCHEDULER (self));

  self->n_failures = 0;
  run_sync (self);
}

PdmSyncEngine *
pdm_sync_scheduler_get_engine (PdmSyncScheduler *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_SCHEDULER (self), NULL);

  return self->engine;
}

PdmSyncState
pdm_sync_scheduler_get_state (PdmSyncScheduler *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_SCHEDULER (self), PDM_SYNC_STATE_IDLE);

  return self->state;
}

guint
pdm_sync_scheduler_get_pending (PdmSyncScheduler *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_SCHEDULER (self), 0);

  return self->pending;
}

gint64
pdm_sync_scheduler_get_last_sync (PdmSyncScheduler *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_SCHEDULER (self), 0);

  return self->last_sync;
}

const char *
pdm_sync_scheduler_get_last_error (PdmSyncScheduler *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_SCHEDULER (self), NULL);

  return self->last_error;
}

guint
pdm_sync_scheduler_get_retry_delay_ms (PdmSyncScheduler *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_SCHEDULER (self), 0);

  return self->retry_delay_ms;
}

static void
pdm_sync_scheduler_constructed (GObject *object)
{
  PdmSyncScheduler *self = PDM_SYNC_SCHEDULER (object);

  G_OBJECT_CLASS (pdm_sync_scheduler_parent_class)->constructed (object);

  if (self->network_monitor == NULL)
    self->network_monitor = g_object_ref (g_network_monitor_get_default ());

  g_signal_connect_object (self->network_monitor, "network-changed",
                           G_CALLBACK (on_network_changed_cb), self, 0);
}

static void
pdm_sync_scheduler_dispose (GObject *object)
{
  PdmSyncScheduler *self = PDM_SYNC_SCHEDULER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (pdm_sync_scheduler_parent_class)->dispose (object);
}

static void
pdm_sync_scheduler_finalize (GObject *object)
{
  PdmSyncScheduler *self = PDM_SYNC_SCHEDULER (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->network_monitor);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (pdm_sync_scheduler_parent_class)->finalize (object);
}

static void
pdm_sync_scheduler_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdmSyncScheduler *self = PDM_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;

    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    case PROP_DEBOUNCE_MS:
      g_value_set_uint (value, self->debounce_ms);
      break;

    case PROP_RETRY_INITIAL_MS:
      g_value_set_uint (value, self->retry_initial_ms);
      break;

    case PROP_RETRY_MAX_MS:
      g_value_set_uint (value, self->retry_max_ms);
      break;

    case PROP_RETRY_DELAY_MS:
      g_value_set_uint (value, self->retry_delay_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_scheduler_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdmSyncScheduler *self = PDM_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    case PROP_NETWORK_MONITOR:
      self->network_monitor = g_value_dup_object (value);
      break;

    case PROP_DEBOUNCE_MS:
      self->debounce_ms = g_value_get_uint (value);
      break;

    case PROP_RETRY_INITIAL_MS:
      self->retry_initial_ms = g_value_get_uint (value);
      break;

    case PROP_RETRY_MAX_MS:
      self->retry_max_ms = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_scheduler_class_init (PdmSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags tunable = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = pdm_sync_scheduler_constructed;
  object_class->dispose = pdm_sync_scheduler_dispose;
  object_class->finalize = pdm_sync_scheduler_finalize;
  object_class->get_property = pdm_sync_scheduler_get_property;
  object_class->set_property = pdm_sync_scheduler_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         PDM_TYPE_SYNC_ENGINE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* The default monitor unless a test gives its own. */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL,
                         G_TYPE_NETWORK_MONITOR,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       PDM_TYPE_SYNC_STATE, PDM_SYNC_STATE_IDLE, readable);

  /* Local writes not sent yet. */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0, readable);

  /* Unix time of the last good sync, 0 for never. */
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, readable);

  /* The last run's error for people, NULL after a good run. */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, readable);

  properties[PROP_DEBOUNCE_MS] =
    g_param_spec_uint ("debounce-ms", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_DEBOUNCE_MS, tunable);

  properties[PROP_RETRY_INITIAL_MS] =
    g_param_spec_uint ("retry-initial-ms", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_RETRY_INITIAL_MS, tunable);

  properties[PROP_RETRY_MAX_MS] =
    g_param_spec_uint ("retry-max-ms", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_RETRY_MAX_MS, tunable);

  /* The delay before the pending retry, 0 when none is pending. */
  properties[PROP_RETRY_DELAY_MS] =
    g_param_spec_uint ("retry-delay-ms", NULL, NULL, 0, G_MAXUINT, 0, readable);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdmSyncScheduler::synced:
   * @self: the scheduler
   * @report: what the run did
   *
   * A run ended well; whoever shows records reads them again when it
   * pulled or removed any.
   */
  signals[SYNCED] =
    g_signal_new ("synced",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  PDM_TYPE_SYNC_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pdm_sync_scheduler_init (PdmSyncScheduler *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * pdm_sync_scheduler_new:
 * @engine: the engine that runs the syncs
 * @network_monitor: (nullable): the network monitor, %NULL for the default
 *
 * Returns: (transfer full): a scheduler; nothing happens before
 *   pdm_sync_scheduler_start()
 */
PdmSyncScheduler *
pdm_sync_scheduler_new (PdmSyncEngine   *engine,
                        GNetworkMonitor *network_monitor)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (engine), NULL);
  g_return_val_if_fail (network_monitor == NULL || G_IS_NETWORK_MONITOR (network_monitor), NULL);

  return g_object_new (PDM_TYPE_SYNC_SCHEDULER,
                       "engine", engine,
                       "network-monitor", network_monitor,
                       NULL);
}
