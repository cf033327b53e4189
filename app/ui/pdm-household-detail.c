/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-household-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-household-detail.h"
#include "pdm-record-item.h"
#include "pdm-record-labels.h"
#include "pdm-record-list-model.h"
#include "pdm-ui-util.h"

struct _PdmHouseholdDetail
{
  GtkWidget           parent_instance;

  PdmRecord          *household;
  PdmRecordListModel *members;
  PdmRecordListModel *visits;

  AdwActionRow       *kk_number_row;
  AdwActionRow       *dtsen_id_row;
  AdwActionRow       *address_row;
  AdwActionRow       *kelurahan_row;
  AdwActionRow       *desil_row;
  AdwActionRow       *programs_row;
  AdwActionRow       *volunteer_row;
  AdwActionRow       *status_row;
  AdwActionRow       *notes_row;
  AdwPreferencesGroup *proposals_group;
  GtkListBox         *proposals_list;
  AdwPreferencesGroup *members_group;
  GtkListBox         *members_list;
  AdwPreferencesGroup *visits_group;
  GtkListBox         *visits_list;
};

G_DEFINE_FINAL_TYPE (PdmHouseholdDetail, pdm_household_detail, GTK_TYPE_WIDGET)

enum {
  MEMBER_ACTIVATED,
  VISIT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  /* An empty subtitle would hide the row's value line altogether. */
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : "—");
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "pindah") == 0)
    return C_("household status", "Moved away");
  if (g_strcmp0 (status, "meninggal") == 0)
    return C_("household status", "Head deceased");
  if (g_strcmp0 (status, "tidak ditemukan") == 0)
    return C_("household status", "Not found");

  return C_("household status", "Active");
}

static GtkWidget *
create_member_row (gpointer item,
                   gpointer user_data)
{
  PdmRecordItem *member = item;
  g_autofree char *birth_date = pdm_format_date (pdm_record_item_get (member, "birth_date"));
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  if (pdm_record_item_get (member, "relationship") != NULL)
    g_ptr_array_add (parts, (char *) pdm_record_item_get (member, "relationship"));
  if (pdm_record_item_get (member, "nik") != NULL)
    g_ptr_array_add (parts, (char *) pdm_record_item_get (member, "nik"));
  if (birth_date != NULL)
    g_ptr_array_add (parts, birth_date);
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);

  row = g_object_new (ADW_TYPE_ACTION_ROW,
                      "title", pdm_record_item_get (member, "full_name"),
                      "subtitle", subtitle,
                      "activatable", TRUE,
                      NULL);
  gtk_widget_set_tooltip_text (row, _("Edit this member"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             g_object_new (GTK_TYPE_IMAGE,
                                           "icon-name", "go-next-symbolic",
                                           NULL));
  g_object_set_data_full (G_OBJECT (row), "pdm-item", g_object_ref (member), g_object_unref);

  return row;
}

/* "25 November 2025 · groundcheck", over the findings and when to follow up. */
static GtkWidget *
create_visit_row (gpointer item,
                  gpointer user_data)
{
  PdmRecordItem *visit = item;
  g_autofree char *date = pdm_format_date (pdm_record_item_get (visit, "visit_date"));
  g_autofree char *follow_up = pdm_format_date (pdm_record_item_get (visit, "follow_up_date"));
  g_autofree char *title = NULL;
  g_autofree char *follow_up_text = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  title = g_strdup_printf ("%s · %s", date != NULL ? date : "—",
                           pdm_record_item_get (visit, "kind") != NULL
                             ? pdm_record_item_get (visit, "kind") : "—");
  if (pdm_record_item_get (visit, "findings") != NULL)
    g_ptr_array_add (parts, (char *) pdm_record_item_get (visit, "findings"));
  if (follow_up != NULL)
    {
      /* Translators: %s is a date */
      follow_up_text = g_strdup_printf (_("Follow up on %s"), follow_up);
      g_ptr_array_add (parts, follow_up_text);
    }
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);

  row = g_object_new (ADW_TYPE_ACTION_ROW,
                      "title", title,
                      "subtitle", subtitle,
                      "subtitle-lines", 2,
                      "activatable", TRUE,
                      NULL);
  gtk_widget_set_tooltip_text (row, _("Edit this visit"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             g_object_new (GTK_TYPE_IMAGE,
                                           "icon-name", "go-next-symbolic",
                                           NULL));
  g_object_set_data_full (G_OBJECT (row), "pdm-item", g_object_ref (visit), g_object_unref);

  return row;
}

static void
on_member_row_activated_cb (PdmHouseholdDetail *self,
                            GtkListBoxRow      *row)
{
  PdmRecordItem *member = g_object_get_data (G_OBJECT (row), "pdm-item");

  /* A row still being read has no member to edit yet. */
  if (member != NULL && pdm_record_item_get_record (member) != NULL)
    g_signal_emit (self, signals[MEMBER_ACTIVATED], 0, member);
}

static void
on_visit_row_activated_cb (PdmHouseholdDetail *self,
                           GtkListBoxRow      *row)
{
  PdmRecordItem *visit = g_object_get_data (G_OBJECT (row), "pdm-item");

  if (visit != NULL && pdm_record_item_get_record (visit) != NULL)
    g_signal_emit (self, signals[VISIT_ACTIVATED], 0, visit);
}

static void
update_members_title (PdmHouseholdDetail *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->members));
  g_autofree char *count = pdm_format_number (n);
  g_autofree char *title = NULL;

  title = g_strdup_printf (ngettext ("%s Member", "%s Members", n), count);
  adw_preferences_group_set_title (self->members_group, title);
}

static void
update_visits_title (PdmHouseholdDetail *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->visits));
  g_autofree char *count = pdm_format_number (n);
  g_autofree char *title = NULL;

  title = g_strdup_printf (ngettext ("%s Visit", "%s Visits", n), count);
  adw_preferences_group_set_title (self->visits_group, title);
}

/* A list of @table rows of the household, shown in @list_box. */
static PdmRecordListModel *
bind_household_list (PdmHouseholdDetail       *self,
                     PdmApplication           *application,
                     PdmTable                  table,
                     GtkListBox               *list_box,
                     GtkListBoxCreateWidgetFunc create_row,
                     GCallback                 update_title)
{
  PdmRecordListModel *model = pdm_record_list_model_new (application, table);

  g_signal_connect_object (model, "items-changed", update_title, self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (list_box, G_LIST_MODEL (model), create_row, NULL, NULL);

  return model;
}

/* The corrections proposed for the household and not yet decided. */
static void
show_proposals (PdmHouseholdDetail *self,
                PdmApplication     *application)
{
  PdmSearch *search = pdm_application_get_search (application);
  g_autoptr(GPtrArray) proposals = NULL;
  GtkListBoxRow *old_row;

  while ((old_row = gtk_list_box_get_row_at_index (self->proposals_list, 0)) != NULL)
    gtk_list_box_remove (self->proposals_list, GTK_WIDGET (old_row));

  if (search != NULL)
    proposals = pdm_search_list_proposals (search, self->household->id, "diajukan", NULL);
  for (guint i = 0; proposals != NULL && i < proposals->len; i++)
    {
      const PdmRecord *proposal = g_ptr_array_index (proposals, i);
      g_autofree char *title = pdm_proposal_describe (proposal);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), pdm_record_get (proposal, "reason"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_append (self->proposals_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->proposals_group),
                          proposals != NULL && proposals->len > 0);
}

/* Shows @household (copied), reading its members through @application. */
void
pdm_household_detail_set_household (PdmHouseholdDetail *self,
                                    PdmApplication     *application,
                                    const PdmRecord    *household)
{
  PdmRegions *regions;
  PdmRepository *repository;
  g_autofree char *address = NULL;
  g_autofree char *kelurahan = NULL;
  g_autofree char *programs = NULL;
  g_autoptr(PdmRecord) volunteer = NULL;
  const char *code;
  PdmQuery members = { .table = PDM_TABLE_PERSON, .sort = PDM_SORT_NAME };
  PdmQuery visits = { .table = PDM_TABLE_VISIT };

  g_return_if_fail (PDM_IS_HOUSEHOLD_DETAIL (self));
  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (household != NULL && household->info->table == PDM_TABLE_HOUSEHOLD);

  g_clear_pointer (&self->household, pdm_record_free);
  self->household = pdm_record_copy (household);
  regions = pdm_application_get_regions (application);
  repository = pdm_application_get_repository (application);

  set_row (self->kk_number_row, pdm_record_get (household, "kk_number"));
  set_row (self->dtsen_id_row, pdm_record_get (household, "dtsen_id"));
  address = pdm_format_address (pdm_record_get (household, "address"),
                                pdm_record_get (household, "rt"),
                                pdm_record_get (household, "rw"));
  set_row (self->address_row, address);
  code = pdm_record_get (household, "kelurahan_code");
  if (code != NULL)
    kelurahan = g_strdup_printf ("%s, %s", pdm_regions_get_name (regions, code),
                                 pdm_regions_get_name (regions,
                                                       pdm_regions_get_parent (regions, code)));
  set_row (self->kelurahan_row, kelurahan);
  set_row (self->desil_row, pdm_record_get (household, "desil"));
  if (pdm_record_get (household, "programs") != NULL)
    {
      g_auto(GStrv) list = g_strsplit (pdm_record_get (household, "programs"), ",", -1);

      programs = g_strjoinv (", ", list);
    }
  set_row (self->programs_row, programs);
  if (repository != NULL && pdm_record_get (household, "volunteer_id") != NULL)
    volunteer = pdm_repository_get (repository, PDM_TABLE_VOLUNTEER,
                                     pdm_record_get (household, "volunteer_id"), NULL);
  set_row (self->volunteer_row, volunteer != NULL ? pdm_record_get (volunteer, "full_name") : NULL);
  set_row (self->status_row, status_label (pdm_record_get (household, "status")));
  set_row (self->notes_row, pdm_record_get (household, "notes"));

  if (self->members == NULL)
    {
      self->members = bind_household_list (self, application, PDM_TABLE_PERSON,
                                           self->members_list, create_member_row,
                                           G_CALLBACK (update_members_title));
      self->visits = bind_household_list (self, application, PDM_TABLE_VISIT,
                                          self->visits_list, create_visit_row,
                                          G_CALLBACK (update_visits_title));
    }
  show_proposals (self, application);
  members.household_id = visits.household_id = household->id;
  pdm_record_list_model_set_query (self->members, &members);
  pdm_record_list_model_set_query (self->visits, &visits);
}

const PdmRecord *
pdm_household_detail_get_household (PdmHouseholdDetail *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_DETAIL (self), NULL);

  return self->household;
}

/* The members shown, as PdmRecordItem; NULL before a household is. */
GListModel *
pdm_household_detail_get_members (PdmHouseholdDetail *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_DETAIL (self), NULL);

  return G_LIST_MODEL (self->members);
}

/* The visits shown, newest first, as PdmRecordItem; NULL before a
 * household is. */
GListModel *
pdm_household_detail_get_visits (PdmHouseholdDetail *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_DETAIL (self), NULL);

  return G_LIST_MODEL (self->visits);
}

static void
pdm_household_detail_dispose (GObject *object)
{
  PdmHouseholdDetail *self = (PdmHouseholdDetail *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_HOUSEHOLD_DETAIL);
  /* The top of the template is not a bound child, so it is not unparented
   * by the template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->members);
  g_clear_object (&self->visits);

  G_OBJECT_CLASS (pdm_household_detail_parent_class)->dispose (object);
}

static void
pdm_household_detail_finalize (GObject *object)
{
  PdmHouseholdDetail *self = (PdmHouseholdDetail *)object;

  g_clear_pointer (&self->household, pdm_record_free);

  G_OBJECT_CLASS (pdm_household_detail_parent_class)->finalize (object);
}

static void
pdm_household_detail_class_init (PdmHouseholdDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_household_detail_dispose;
  object_class->finalize = pdm_household_detail_finalize;

  /**
   * PdmHouseholdDetail::member-activated:
   * @member: the #PdmRecordItem of the member
   *
   * A person chose a member, to edit it.
   */
  signals[MEMBER_ACTIVATED] =
    g_signal_new ("member-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PDM_TYPE_RECORD_ITEM);

  /**
   * PdmHouseholdDetail::visit-activated:
   * @visit: the #PdmRecordItem of the visit
   *
   * A person chose a visit of the history, to edit it.
   */
  signals[VISIT_ACTIVATED] =
    g_signal_new ("visit-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PDM_TYPE_RECORD_ITEM);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-household-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, kk_number_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, dtsen_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, address_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, kelurahan_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, desil_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, programs_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, volunteer_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, status_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, notes_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, proposals_group);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, proposals_list);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, members_group);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, members_list);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, visits_group);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdDetail, visits_list);
  gtk_widget_class_bind_template_callback (widget_class, on_member_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_visit_row_activated_cb);
}

static void
pdm_household_detail_init (PdmHouseholdDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
