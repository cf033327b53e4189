/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-record-list-model"

#include "config.h"

#include "pdm-record-item.h"
#include "pdm-record-list-model.h"

/* A screenful is a few dozen rows; a page is a few screens, and a handful
 * of pages lets a person scroll back and forth without a query. */
#define PAGE_SIZE 100
/* Enough for what a tall list view builds at once (it may ask for a
 * thousand rows), so it never jumps back into a long list. */
#define MAX_PAGES 16

typedef struct
{
  guint          index;
  GPtrArray     *items;
  /* Where the page ends, so the next one can seek from it. */
  PdmPageCursor  last;
} Page;

struct _PdmRecordListModel
{
  GObject    parent_instance;

  PdmSearch *search;
  PdmQuery   query;
  guint      n_items;
  /* Most recently used first. */
  GQueue     pages;
  GError    *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdmRecordListModel, pdm_record_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  pdm_page_cursor_clear (&page->last);
  g_free (page);
}

static void
clear_pages (PdmRecordListModel *self)
{
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
}

static void
query_clear (PdmQuery *query)
{
  g_clear_pointer ((char **) &query->text, g_free);
  g_clear_pointer ((char **) &query->kelurahan_code, g_free);
  g_clear_pointer ((char **) &query->program, g_free);
  g_clear_pointer ((char **) &query->volunteer_id, g_free);
  g_clear_pointer ((char **) &query->household_id, g_free);
  g_clear_pointer ((char **) &query->visit_kind, g_free);
}

static gboolean
query_equal (const PdmQuery *a,
             const PdmQuery *b)
{
  return a->table == b->table &&
         g_strcmp0 (a->text, b->text) == 0 &&
         g_strcmp0 (a->kelurahan_code, b->kelurahan_code) == 0 &&
         a->desil == b->desil &&
         g_strcmp0 (a->program, b->program) == 0 &&
         g_strcmp0 (a->volunteer_id, b->volunteer_id) == 0 &&
         a->include_deleted == b->include_deleted &&
         a->sort == b->sort &&
         g_strcmp0 (a->household_id, b->household_id) == 0 &&
         g_strcmp0 (a->visit_kind, b->visit_kind) == 0;
}

static void
set_error (PdmRecordListModel *self,
           GError             *error)
{
  if (error != NULL)
    g_debug ("The list could not be read: %s", error->message);
  g_clear_error (&self->error);
  self->error = error;
}

static Page *
find_page (PdmRecordListModel *self,
           guint               index)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        {
          /* Most recently used first. */
          g_queue_unlink (&self->pages, l);
          g_queue_push_head_link (&self->pages, l);
          return page;
        }
    }

  return NULL;
}

static Page *
read_page (PdmRecordListModel *self,
           guint               index)
{
  g_autoptr(GPtrArray) records = NULL;
  Page *previous = NULL;
  Page *page;
  GError *error = NULL;

  page = g_new0 (Page, 1);
  page->index = index;

  /* Scrolling down seeks from the end of the page above, the cheapest way. */
  for (GList *l = self->pages.head; l != NULL && index > 0; l = l->next)
    if (((Page *) l->data)->index == index - 1 && ((Page *) l->data)->last.id != NULL)
      previous = l->data;

  if (previous != NULL)
    records = pdm_search_page (self->search, &self->query, &previous->last, PAGE_SIZE,
                               &page->last, NULL, &error);
  else
    records = pdm_search_page_at (self->search, &self->query, index * PAGE_SIZE, PAGE_SIZE,
                                  &page->last, NULL, &error);

  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  if (records == NULL)
    set_error (self, error);
  else
    for (guint i = 0; i < records->len; i++)
      g_ptr_array_add (page->items, pdm_record_item_new (g_steal_pointer (&records->pdata[i])));

  g_queue_push_head (&self->pages, page);
  while (g_queue_get_length (&self->pages) > MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return page;
}

static GType
pdm_record_list_model_get_item_type (GListModel *model)
{
  return PDM_TYPE_RECORD_ITEM;
}

static guint
pdm_record_list_model_get_n_items (GListModel *model)
{
  return PDM_RECORD_LIST_MODEL (model)->n_items;
}

static gpointer
pdm_record_list_model_get_item (GListModel *model,
                                guint       position)
{
  PdmRecordListModel *self = PDM_RECORD_LIST_MODEL (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = find_page (self, index);
  if (page == NULL)
    page = read_page (self, index);

  /* The rows may have changed since the count; a reload is on its way. */
  if (position % PAGE_SIZE >= page->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->items, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pdm_record_list_model_get_item_type;
  iface->get_n_items = pdm_record_list_model_get_n_items;
  iface->get_item = pdm_record_list_model_get_item;
}

static void
on_records_changed_cb (PdmRecordListModel *self,
                       guint               table)
{
  pdm_record_list_model_reload (self);
}

/* @application's search reads the rows; a NULL search (no database) makes
 * an empty list. */
PdmRecordListModel *
pdm_record_list_model_new (PdmApplication *application,
                           PdmTable        table)
{
  PdmRecordListModel *self;
  PdmSearch *search;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (table == PDM_TABLE_HOUSEHOLD || table == PDM_TABLE_PERSON ||
                        table == PDM_TABLE_VOLUNTEER || table == PDM_TABLE_VISIT, NULL);

  self = g_object_new (PDM_TYPE_RECORD_LIST_MODEL, NULL);
  self->query.table = table;
  search = pdm_application_get_search (application);
  if (search != NULL)
    self->search = g_object_ref (search);

  g_signal_connect_object (application, "records-changed",
                           G_CALLBACK (on_records_changed_cb), self, G_CONNECT_SWAPPED);
  pdm_record_list_model_reload (self);

  return self;
}

const PdmQuery *
pdm_record_list_model_get_query (PdmRecordListModel *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_LIST_MODEL (self), NULL);

  return &self->query;
}

/* Shows the rows of @query (copied); its table must stay the model's. */
void
pdm_record_list_model_set_query (PdmRecordListModel *self,
                                 const PdmQuery     *query)
{
  g_return_if_fail (PDM_IS_RECORD_LIST_MODEL (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (query->table == self->query.table);

  /* Filters being set up announce the values they already had: a list of
   * a million rows is not read again for nothing. */
  if (query_equal (query, &self->query))
    return;

  query_clear (&self->query);
  self->query = *query;
  self->query.text = g_strdup (query->text);
  self->query.kelurahan_code = g_strdup (query->kelurahan_code);
  self->query.program = g_strdup (query->program);
  self->query.volunteer_id = g_strdup (query->volunteer_id);
  self->query.household_id = g_strdup (query->household_id);
  self->query.visit_kind = g_strdup (query->visit_kind);

  pdm_record_list_model_reload (self);
}

/* Counts again and forgets every row read, telling the views that all of
 * it changed. */
void
pdm_record_list_model_reload (PdmRecordListModel *self)
{
  guint old_n_items;
  guint count = 0;
  GError *error = NULL;

  g_return_if_fail (PDM_IS_RECORD_LIST_MODEL (self));

  old_n_items = self->n_items;
  clear_pages (self);
  set_error (self, NULL);

  if (self->search != NULL && !pdm_search_count (self->search, &self->query, &count, NULL, &error))
    set_error (self, error);
  self->n_items = count;

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
}

/* Why the last read failed, or NULL. */
const GError *
pdm_record_list_model_get_error (PdmRecordListModel *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_LIST_MODEL (self), NULL);

  return self->error;
}

static void
pdm_record_list_model_finalize (GObject *object)
{
  PdmRecordListModel *self = (PdmRecordListModel *)object;

  clear_pages (self);
  query_clear (&self->query);
  g_clear_error (&self->error);
  g_clear_object (&self->search);

  G_OBJECT_CLASS (pdm_record_list_model_parent_class)->finalize (object);
}

static void
pdm_record_list_model_class_init (PdmRecordListModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdm_record_list_model_finalize;
}

static void
pdm_record_list_model_init (PdmRecordListModel *self)
{
  g_queue_init (&self->pages);
}
