/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-form-view"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pdm-form-view.h"
#include "pdm-util.h"

/*
 * The view is built once per form from its definition; loading other
 * answers (the next participant) only sets the inputs. Every question is a
 * card ("form-question") in its section's box, with the input its type asks
 * for. Skip logic re-evaluates only the questions that can depend on the
 * answer that changed: an expression may only use questions before it, so
 * one forward pass over the references finds them.
 */

/* What the key controller of the view is called, for those who look for it. */
#define KEYS_CONTROLLER_NAME "pdm-form-view-keys"

#define NO_INDEX G_MAXUINT

typedef struct
{
  PdmFormView     *view;
  PdmFormQuestion *question;
  PdmQuestionType  type;
  guint            index;
  guint            section;

  GtkWidget       *block;
  GtkWidget       *title;
  GtkWidget       *error_label;
  /* What takes the focus: an entry, the text view, or the box of buttons. */
  GtkWidget       *input;
  /* Choices, Likert points, yes/no: one button per option, in order. */
  GtkWidget      **buttons;
  guint            n_buttons;
  GtkWidget       *entry;
  GtkWidget       *text_view;
  GtkWidget       *value_label;

  /* The questions before this one whose answers its relevance or
   * calculation uses (its section's relevance included). */
  GArray          *references;
  gboolean         has_relevance;
  gboolean         shown;
  char            *shown_value;
  char            *problem;
} Item;

typedef struct
{
  GtkWidget *box;
  guint      first;
  guint      n;
} SectionView;

struct _PdmFormView
{
  GtkWidget    parent_instance;

  PdmForm     *form;
  JsonObject  *answers;
  Item        *items;
  guint        n_items;
  SectionView *sections;
  guint        n_sections;
  gboolean     has_calculations;

  GtkWidget   *box;
  gboolean     editable;
  gboolean     data_entry;
  guint        current;
  /* Set while inputs are filled from answers, not by a person. */
  gboolean     loading;
  guint        scroll_tick;
  guint        scroll_frames;
};

G_DEFINE_FINAL_TYPE (PdmFormView, pdm_form_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FORM,
  PROP_EDITABLE,
  PROP_DATA_ENTRY,
  PROP_CURRENT_QUESTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ANSWERS_CHANGED,
  ENTRY_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void answer_changed (PdmFormView *self,
                            Item        *item);

/* --- values --------------------------------------------------------------- */

static JsonNode *
string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

/* A scale point's or a typed number as JSON: whole numbers as integers,
 * so the stored answers read "4", not "4.0". */
static JsonNode *
number_node (double number)
{
  if (number == floor (number) && fabs (number) < 1e15)
    return json_node_init_int (json_node_alloc (), (gint64) number);

  return json_node_init_double (json_node_alloc (), number);
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);

  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A number as typed: "2,5" (Indonesian) and "2.5" are both two and a
 * half; thousands separators are not expected in a form's numbers. Text
 * that is no number stays text, for validation to name. */
static JsonNode *
parse_number (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double number;

  if (*copy == '\0')
    return NULL;

  g_strdelimit (copy, ",", '.');
  number = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (number))
    {
      g_autofree char *typed = g_strstrip (g_strdup (text));

      return string_node (typed);
    }

  return number_node (number);
}

/* A number as a person reads it, with the locale's decimal mark. */
static char *
format_number (double number)
{
  const char *point = localeconv ()->decimal_point;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  GString *text;

  if (number == floor (number) && fabs (number) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) number);

  g_ascii_formatd (buffer, sizeof buffer, "%.12g", number);
  text = g_string_new (buffer);
  g_string_replace (text, ".", point != NULL && *point != '\0' ? point : ".", 1);

  return g_string_free (text, FALSE);
}

/* "25/11/2025" (also with - or . between, or as 2025-11-25) as
 * "2025-11-25"; NULL when it is no real date. */
static char *
parse_date (const char *text)
{
  g_autofree char *stripped = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 numbers[3];
  guint year, month, day;

  if (text == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (text));
  parts = g_strsplit_set (stripped, "/-.", -1);
  if (g_strv_length (parts) != 3)
    return NULL;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 0, 9999, &numbers[i], NULL))
      return NULL;

  if (strlen (parts[0]) == 4)
    year = numbers[0], month = numbers[1], day = numbers[2];
  else if (strlen (parts[2]) == 4)
    day = numbers[0], month = numbers[1], year = numbers[2];
  else
    return NULL;

  if (!g_date_valid_dmy (day, month, year))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

/* --- items ---------------------------------------------------------------- */

static gboolean
item_is_choice (Item *item)
{
  return item->buttons != NULL;
}

static gboolean
item_is_calculated (Item *item)
{
  return pdm_form_question_is_calculated (item->question);
}

static void
item_clear (Item *item)
{
  g_clear_pointer (&item->buttons, g_free);
  g_clear_pointer (&item->references, g_array_unref);
  g_clear_pointer (&item->shown_value, g_free);
  g_clear_pointer (&item->problem, g_free);
}

static Item *
find_item (PdmFormView *self,
           const char  *question_id)
{
  PdmFormQuestion *question = pdm_form_lookup_question (self->form, question_id);

  return question != NULL ? &self->items[pdm_form_question_get_index (question)] : NULL;
}

/* The answer @item's inputs show now, or NULL for none. */
static JsonNode *
item_read_answer (Item *item)
{
  guint n_options;
  const PdmFormOption *options = pdm_form_question_get_options (item->question, &n_options);

  switch (item->type)
    {
    case PDM_QUESTION_SINGLE_CHOICE:
    case PDM_QUESTION_LIKERT:
    case PDM_QUESTION_YES_NO:
      for (guint i = 0; i < item->n_buttons; i++)
        {
          gboolean active = GTK_IS_CHECK_BUTTON (item->buttons[i])
                            ? gtk_check_button_get_active (GTK_CHECK_BUTTON (item->buttons[i]))
                            : gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (item->buttons[i]));

          if (!active)
            continue;
          if (item->type == PDM_QUESTION_YES_NO)
            return json_node_init_boolean (json_node_alloc (), i == 0);
          if (item->type == PDM_QUESTION_LIKERT)
            return number_node (options[i].number);
          return string_node (options[i].value);
        }
      return NULL;

    case PDM_QUESTION_MULTIPLE_CHOICE:
      {
        g_autoptr(JsonArray) chosen = json_array_new ();

        for (guint i = 0; i < item->n_buttons; i++)
          if (gtk_check_button_get_active (GTK_CHECK_BUTTON (item->buttons[i])))
            json_array_add_string_element (chosen, options[i].value);
        if (json_array_get_length (chosen) == 0)
          return NULL;
        return json_node_init_array (json_node_alloc (), chosen);
      }

    case PDM_QUESTION_SHORT_TEXT:
    case PDM_QUESTION_LONG_TEXT:
      {
        g_autofree char *text = NULL;

        if (item->text_view != NULL)
          {
            GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (item->text_view));
            GtkTextIter start, end;

            gtk_text_buffer_get_bounds (buffer, &start, &end);
            text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
          }
        else
          text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (item->entry)));
        g_strstrip (text);

        return *text != '\0' ? string_node (text) : NULL;
      }

    case PDM_QUESTION_NUMBER:
      return parse_number (gtk_editable_get_text (GTK_EDITABLE (item->entry)));

    case PDM_QUESTION_DATE:
      {
        const char *typed = gtk_editable_get_text (GTK_EDITABLE (item->entry));
        g_autofree char *iso = parse_date (typed);
        g_autofree char *stripped = g_strstrip (g_strdup (typed));

        if (iso != NULL)
          return string_node (iso);
        /* Kept as typed, so submitting says what is wrong with it. */
        return *stripped != '\0' ? string_node (stripped) : NULL;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
set_button_active (GtkWidget *button,
                   gboolean   active)
{
  if (GTK_IS_CHECK_BUTTON (button))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (button), active);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), active);
}

/* Whether option @i of @item is what @answer says. */
static gboolean
option_matches (Item     *item,
                guint     i,
                JsonNode *answer)
{
  guint n_options;
  const PdmFormOption *options = pdm_form_question_get_options (item->question, &n_options);

  switch (item->type)
    {
    case PDM_QUESTION_YES_NO:
      return answer != NULL && JSON_NODE_HOLDS_VALUE (answer) &&
             json_node_get_value_type (answer) == G_TYPE_BOOLEAN &&
             json_node_get_boolean (answer) == (i == 0);

    case PDM_QUESTION_LIKERT:
      return node_is_number (answer) && json_node_get_double (answer) == options[i].number;

    case PDM_QUESTION_MULTIPLE_CHOICE:
      if (answer != NULL && JSON_NODE_HOLDS_ARRAY (answer))
        {
          JsonArray *array = json_node_get_array (answer);

          for (guint j = 0; j < json_array_get_length (array); j++)
            if (g_strcmp0 (node_string (json_array_get_element (array, j)),
                           options[i].value) == 0)
              return TRUE;
        }
      return FALSE;

    case PDM_QUESTION_SINGLE_CHOICE:
    default:
      return g_strcmp0 (node_string (answer), options[i].value) == 0;
    }
}

/* Shows @answer in @item's inputs; a person did not type it. */
static void
item_show_answer (Item     *item,
                  JsonNode *answer)
{
  if (item_is_calculated (item))
    return;

  if (item_is_choice (item))
    {
      /* Deactivate first, so a group never holds two for a moment. */
      for (guint i = 0; i < item->n_buttons; i++)
        if (!option_matches (item, i, answer))
          set_button_active (item->buttons[i], FALSE);
      for (guint i = 0; i < item->n_buttons; i++)
        if (option_matches (item, i, answer))
          set_button_active (item->buttons[i], TRUE);
      return;
    }

  if (item->text_view != NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (item->text_view)),
                                node_string (answer) != NULL ? node_string (answer) : "", -1);
      return;
    }

  if (item->type == PDM_QUESTION_NUMBER && node_is_number (answer))
    {
      g_autofree char *text = format_number (json_node_get_double (answer));

      gtk_editable_set_text (GTK_EDITABLE (item->entry), text);
    }
  else if (item->type == PDM_QUESTION_DATE && node_string (answer) != NULL)
    {
      g_autofree char *iso = parse_date (node_string (answer));
      g_autofree char *shown = NULL;

      /* Stored YYYY-MM-DD, shown as it is written in Indonesia. */
      if (iso != NULL)
        shown = g_strdup_printf ("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
      gtk_editable_set_text (GTK_EDITABLE (item->entry),
                             shown != NULL ? shown : node_string (answer));
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (item->entry),
                           node_string (answer) != NULL ? node_string (answer) : "");
}

static void
item_show_problem (Item       *item,
                   const char *problem)
{
  if (g_strcmp0 (item->problem, problem) == 0)
    return;

  pdm_set_string (&item->problem, problem);
  gtk_label_set_label (GTK_LABEL (item->error_label), problem != NULL ? problem : "");
  gtk_widget_set_visible (item->error_label, problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (item->block, "problem");
  else
    gtk_widget_remove_css_class (item->block, "problem");
  gtk_accessible_update_state (GTK_ACCESSIBLE (item->input),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               problem != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* The text of a calculated value: "3,17", "Ya", or a dash for none. */
static char *
describe_value (JsonNode *value)
{
  if (node_is_number (value))
    {
      double number = json_node_get_double (value);

      return pdm_format_decimal (number, number == floor (number) ? 0 : 2);
    }
  if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
      json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
  if (node_string (value) != NULL)
    return g_strdup (node_string (value));

  return g_strdup ("—");
}

/* --- skip logic and calculations ------------------------------------------ */

/* The sections shown are those with a question shown. */
static void
update_section (PdmFormView *self,
                guint        section)
{
  SectionView *view = &self->sections[section];
  gboolean shown = FALSE;

  for (guint i = view->first; i < view->first + view->n && !shown; i++)
    shown = self->items[i].shown;

  gtk_widget_set_visible (view->box, shown);
}

static void
update_calculations (PdmFormView *self,
                     gboolean    *affected)
{
  g_autoptr(JsonObject) computed = pdm_form_compute (self->form, self->answers);

  for (guint i = 0; i < self->n_items; i++)
    {
      Item *item = &self->items[i];
      g_autofree char *text = NULL;

      if (!item_is_calculated (item) || (affected != NULL && !affected[i]))
        continue;

      text = describe_value (json_object_get_member (computed,
                                                     pdm_form_question_get_id (item->question)));
      if (pdm_set_string (&item->shown_value, text))
        gtk_label_set_label (GTK_LABEL (item->value_label), text);
    }
}

/* Re-evaluates what the answer of @changed (NO_INDEX: every answer) can
 * change: the relevance and the calculations of the questions after it
 * that refer to it, or to a question that does, and so on. */
static void
update_dependents (PdmFormView *self,
                   guint        changed)
{
  g_autofree gboolean *affected = g_new0 (gboolean, self->n_items);
  g_autofree gboolean *sections = g_new0 (gboolean, self->n_sections);
  gboolean calculations = FALSE;
  guint start = changed == NO_INDEX ? 0 : changed + 1;

  if (changed != NO_INDEX)
    affected[changed] = TRUE;

  for (guint i = start; i < self->n_items; i++)
    {
      Item *item = &self->items[i];
      gboolean shown;

      if (changed == NO_INDEX)
        affected[i] = TRUE;
      for (guint r = 0; !affected[i] && r < item->references->len; r++)
        affected[i] = affected[g_array_index (item->references, guint, r)];
      if (!affected[i])
        continue;

      if (item->has_relevance)
        {
          shown = pdm_form_question_is_relevant (self->form, item->question, self->answers);
          if (shown != item->shown)
            {
              item->shown = shown;
              gtk_widget_set_visible (item->block, shown);
              sections[item->section] = TRUE;
            }
        }
      calculations |= item_is_calculated (item);
    }

  for (guint s = 0; s < self->n_sections; s++)
    if (sections[s] || changed == NO_INDEX)
      update_section (self, s);

  if (calculations && self->has_calculations)
    update_calculations (self, affected);
}

/* --- current question and keys ------------------------------------------- */

static GtkWidget *
item_focus_target (Item *item)
{
  if (item_is_choice (item) && !item->view->editable)
    return item->block;
  if (item_is_choice (item))
    {
      for (guint i = 0; i < item->n_buttons; i++)
        if (GTK_IS_CHECK_BUTTON (item->buttons[i])
            ? gtk_check_button_get_active (GTK_CHECK_BUTTON (item->buttons[i]))
            : gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (item->buttons[i])))
          return item->buttons[i];
      return item->buttons[0];
    }

  return item->input;
}

static void
item_grab_focus (Item *item)
{
  GtkWidget *target = item_focus_target (item);

  if (GTK_IS_ENTRY (target))
    gtk_entry_grab_focus_without_selecting (GTK_ENTRY (target));
  else
    gtk_widget_grab_focus (target);
}

/* The next (@step 1) or previous (-1) question a person answers, from
 * @from; NO_INDEX when there is none. */
static guint
find_answerable (PdmFormView *self,
                 guint        from,
                 int          step)
{
  gint64 i = from == NO_INDEX ? (step > 0 ? 0 : (gint64) self->n_items - 1) : (gint64) from + step;

  for (; i >= 0 && i < self->n_items; i += step)
    if (self->items[i].shown && !item_is_calculated (&self->items[i]))
      return (guint) i;

  return NO_INDEX;
}

/* The scroll waits one frame, so the layout of what just changed (the
 * questions skip logic shows or hides) is known. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  PdmFormView *self = PDM_FORM_VIEW (widget);
  GtkWidget *scrolled, *viewport;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value, page, top, bottom;
  const double margin = 24;
  const double bottom_margin = 96;

  if (self->scroll_frames++ == 0)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;

  scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled == NULL || self->current == NO_INDEX)
    return G_SOURCE_REMOVE;
  viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (!gtk_widget_compute_bounds (self->items[self->current].block, viewport, &bounds))
    return G_SOURCE_REMOVE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  top = bounds.origin.y;
  bottom = top + bounds.size.height;
  /* A card out of sight comes to the upper part of the page, clear of the
   * toasts at the bottom, so the questions after it show too; the first
   * question brings the form's title along. */
  if (find_answerable (self, NO_INDEX, 1) == self->current)
    value = 0;
  else if (top < margin || bottom > page - bottom_margin)
    value += top - MAX (margin, MIN (page / 4, page - bottom_margin - bounds.size.height));
  gtk_adjustment_set_value (adjustment, value);

  return G_SOURCE_REMOVE;
}

static void
scroll_to_current (PdmFormView *self)
{
  self->scroll_frames = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb,
                                                      NULL, NULL);
}

static void
set_current (PdmFormView *self,
             guint        index,
             gboolean     grab_focus)
{
  if (index != self->current)
    {
      if (self->current != NO_INDEX)
        gtk_widget_remove_css_class (self->items[self->current].block, "current");
      self->current = index;
      if (index != NO_INDEX)
        gtk_widget_add_css_class (self->items[index].block, "current");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_QUESTION]);
    }

  if (index != NO_INDEX && grab_focus)
    {
      item_grab_focus (&self->items[index]);
      scroll_to_current (self);
    }
}

/* Enter: on to the next question, or, past the last, done. */
static void
advance (PdmFormView *self)
{
  guint next = find_answerable (self, self->current, 1);

  if (next != NO_INDEX)
    set_current (self, next, TRUE);
  else
    g_signal_emit (self, signals[ENTRY_FINISHED], 0);
}

static void
go_back (PdmFormView *self)
{
  guint previous = find_answerable (self, self->current, -1);

  if (previous != NO_INDEX)
    set_current (self, previous, TRUE);
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

/* Number key @n on a choice question: the nth option. */
static void
choose_option (PdmFormView *self,
               Item        *item,
               guint        n)
{
  GtkWidget *button = item->buttons[n - 1];

  if (item->type == PDM_QUESTION_MULTIPLE_CHOICE)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (button),
                                 !gtk_check_button_get_active (GTK_CHECK_BUTTON (button)));
  else
    set_button_active (button, TRUE);
}

static gboolean
item_text_is_empty (Item *item)
{
  if (item->text_view != NULL)
    return gtk_text_buffer_get_char_count (
             gtk_text_view_get_buffer (GTK_TEXT_VIEW (item->text_view))) == 0;

  return *gtk_editable_get_text (GTK_EDITABLE (item->entry)) == '\0';
}

/* Whether the cursor of a long text is on its first (@first) or last line,
 * where Up or Down leave the question rather than move in the text. */
static gboolean
cursor_on_edge_line (Item     *item,
                     gboolean  first)
{
  GtkTextView *view = GTK_TEXT_VIEW (item->text_view);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter cursor, moved;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  moved = cursor;

  return first ? !gtk_text_view_backward_display_line (view, &moved)
               : !gtk_text_view_forward_display_line (view, &moved);
}

static guint
digit_of (guint keyval)
{
  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    return keyval - GDK_KEY_0;
  if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    return keyval - GDK_KEY_KP_0;

  return 0;
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   PdmFormView           *self)
{
  Item *item;
  guint digit = digit_of (keyval);

  if (!self->data_entry || self->current == NO_INDEX ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;

  item = &self->items[self->current];

  if (digit != 0 && item_is_choice (item))
    {
      if (!self->editable || digit > item->n_buttons)
        {
          gtk_widget_error_bell (GTK_WIDGET (self));
          return TRUE;
        }
      choose_option (self, item, digit);
      /* On to the next question, but never past the last: Enter submits,
       * once the person has looked. */
      if (item->type != PDM_QUESTION_MULTIPLE_CHOICE &&
          find_answerable (self, self->current, 1) != NO_INDEX)
        advance (self);
      return TRUE;
    }

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (item->text_view != NULL && (state & GDK_SHIFT_MASK) != 0)
        return FALSE;
      advance (self);
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (item->text_view != NULL && !cursor_on_edge_line (item, TRUE))
        return FALSE;
      go_back (self);
      return TRUE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (item->text_view != NULL && !cursor_on_edge_line (item, FALSE))
        return FALSE;
      if (find_answerable (self, self->current, 1) != NO_INDEX)
        advance (self);
      return TRUE;

    case GDK_KEY_BackSpace:
      /* In a field with text, Backspace deletes. */
      if (!item_is_choice (item) && self->editable && !item_text_is_empty (item))
        return FALSE;
      go_back (self);
      return TRUE;

    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (!item_is_choice (item))
        return FALSE;
      if (self->editable)
        {
          self->loading = TRUE;
          item_show_answer (item, NULL);
          self->loading = FALSE;
          answer_changed (self, item);
        }
      return TRUE;

    default:
      return FALSE;
    }
}

static void
on_block_focus_enter_cb (GtkEventControllerFocus *controller,
                         Item                    *item)
{
  set_current (item->view, item->index, FALSE);
}

/* --- building ------------------------------------------------------------- */

static void
answer_changed (PdmFormView *self,
                Item        *item)
{
  const char *id = pdm_form_question_get_id (item->question);
  g_autoptr(JsonNode) answer = NULL;

  if (self->loading)
    return;

  answer = item_read_answer (item);
  if (answer != NULL)
    json_object_set_member (self->answers, id, g_steal_pointer (&answer));
  else if (json_object_has_member (self->answers, id))
    json_object_remove_member (self->answers, id);

  /* The person is fixing it: the old reason no longer applies. */
  item_show_problem (item, NULL);
  update_dependents (self, item->index);

  g_signal_emit (self, signals[ANSWERS_CHANGED], 0);
}

static void
on_toggled_cb (GtkWidget *button,
               Item      *item)
{
  gboolean active = GTK_IS_CHECK_BUTTON (button)
                    ? gtk_check_button_get_active (GTK_CHECK_BUTTON (button))
                    : gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button));

  if (item->type == PDM_QUESTION_MULTIPLE_CHOICE)
    {
      answer_changed (item->view, item);
      return;
    }

  /* A group toggles the old choice off and the new one on, in an order
   * of its own: make sure the old one is off, then count once. */
  if (!active || item->view->loading)
    return;
  item->view->loading = TRUE;
  for (guint i = 0; i < item->n_buttons; i++)
    if (item->buttons[i] != button)
      set_button_active (item->buttons[i], FALSE);
  item->view->loading = FALSE;
  answer_changed (item->view, item);
}

static void
on_text_changed_cb (gpointer  object,
                    Item     *item)
{
  answer_changed (item->view, item);
}

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  /* Wrapped only where the room runs out, never to a narrow column. */
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                   "natural-wrap-mode", GTK_NATURAL_WRAP_NONE,
                                   "xalign", 0.0f,
                                   NULL);

  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* "[1] Sangat Baik": the key that chooses the option, then its label. */
static GtkWidget *
option_content_new (guint       number,
                    const char *text,
                    gboolean    centered)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = label_new (text, NULL);

  if (number <= 9)
    {
      char key[2] = { (char) ('0' + number), '\0' };
      GtkWidget *key_label = gtk_label_new (key);

      gtk_widget_add_css_class (key_label, "form-key");
      gtk_widget_set_valign (key_label, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), key_label);
    }
  if (centered)
    {
      /* The points of a scale are words: broken between them, if at all. */
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
      gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
    }
  gtk_box_append (GTK_BOX (box), label);

  return box;
}

static void
build_buttons (PdmFormView *self,
               Item        *item)
{
  const char *yes_no[] = { _("Yes"), _("No") };
  guint n_options = 0;
  const PdmFormOption *options = NULL;
  gboolean toggles;
  GtkWidget *group = NULL;

  if (item->type == PDM_QUESTION_YES_NO)
    n_options = 2;
  else
    options = pdm_form_question_get_options (item->question, &n_options);

  /* Ratings and yes/no are short: a row of toggles, as the sheets print
   * them; choices are a column of (often long) sentences. */
  toggles = item->type == PDM_QUESTION_LIKERT || item->type == PDM_QUESTION_YES_NO;
  item->input = g_object_new (GTK_TYPE_BOX,
                              "css-classes", (const char *[]) { toggles ? "form-toggles"
                                                                        : "form-options",
                                                                NULL },
                              "orientation", toggles ? GTK_ORIENTATION_HORIZONTAL
                                                     : GTK_ORIENTATION_VERTICAL,
                              "spacing", toggles ? 6 : 2,
                              "homogeneous", toggles,
                              "halign", toggles ? GTK_ALIGN_START : GTK_ALIGN_FILL,
                              "accessible-role", item->type == PDM_QUESTION_MULTIPLE_CHOICE
                                                 ? GTK_ACCESSIBLE_ROLE_GROUP
                                                 : GTK_ACCESSIBLE_ROLE_RADIO_GROUP,
                              NULL);
  item->buttons = g_new0 (GtkWidget *, n_options);
  item->n_buttons = n_options;

  for (guint i = 0; i < n_options; i++)
    {
      const char *text = options != NULL ? options[i].label : yes_no[i];
      GtkWidget *button;

      if (toggles)
        {
          button = gtk_toggle_button_new ();
          gtk_button_set_child (GTK_BUTTON (button), option_content_new (i + 1, text, TRUE));
          gtk_widget_set_size_request (button, 96, -1);
          if (group != NULL)
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), GTK_TOGGLE_BUTTON (group));
        }
      else
        {
          button = gtk_check_button_new ();
          gtk_check_button_set_child (GTK_CHECK_BUTTON (button),
                                      option_content_new (i + 1, text, FALSE));
          if (group != NULL && item->type == PDM_QUESTION_SINGLE_CHOICE)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (button), GTK_CHECK_BUTTON (group));
        }
      if (i == 0)
        group = button;

      /* The child is drawn; a screen reader gets the option's text. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                      -1);
      g_signal_connect (button, "toggled", G_CALLBACK (on_toggled_cb), item);
      gtk_box_append (GTK_BOX (item->input), button);
      item->buttons[i] = button;
    }
}

static void
build_input (PdmFormView *self,
             Item        *item)
{
  PdmFormQuestion *question = item->question;

  if (item_is_calculated (item))
    {
      item->value_label = g_object_new (GTK_TYPE_LABEL,
                                        "label", "—",
                                        "xalign", 0.0f,
                                        "selectable", TRUE,
                                        NULL);
      gtk_widget_add_css_class (item->value_label, "form-value");
      gtk_widget_add_css_class (item->value_label, "numeric");
      item->input = item->value_label;
      item->shown_value = g_strdup ("—");
      return;
    }

  switch (item->type)
    {
    case PDM_QUESTION_SINGLE_CHOICE:
    case PDM_QUESTION_MULTIPLE_CHOICE:
    case PDM_QUESTION_LIKERT:
    case PDM_QUESTION_YES_NO:
      build_buttons (self, item);
      return;

    case PDM_QUESTION_LONG_TEXT:
      item->text_view = g_object_new (GTK_TYPE_TEXT_VIEW,
                                      "wrap-mode", GTK_WRAP_WORD_CHAR,
                                      "accepts-tab", FALSE,
                                      "top-margin", 8,
                                      "bottom-margin", 8,
                                      "left-margin", 8,
                                      "right-margin", 8,
                                      "height-request", 88,
                                      NULL);
      g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (item->text_view)), "changed",
                        G_CALLBACK (on_text_changed_cb), item);
      item->input = item->text_view;
      return;

    case PDM_QUESTION_SHORT_TEXT:
      item->entry = gtk_entry_new ();
      break;

    case PDM_QUESTION_NUMBER:
      {
        double min = pdm_form_question_get_min (question);
        double max = pdm_form_question_get_max (question);
        g_autofree char *min_text = format_number (min);
        g_autofree char *max_text = format_number (max);
        g_autofree char *bounds = NULL;

        if (isfinite (min) && isfinite (max))
          bounds = g_strdup_printf ("%s–%s", min_text, max_text);
        else if (isfinite (min))
          /* Translators: the smallest number a question accepts */
          bounds = g_strdup_printf (_("at least %s"), min_text);
        else if (isfinite (max))
          /* Translators: the largest number a question accepts */
          bounds = g_strdup_printf (_("at most %s"), max_text);

        item->entry = g_object_new (GTK_TYPE_ENTRY,
                                    "input-purpose", pdm_form_question_get_integer (question)
                                                     ? GTK_INPUT_PURPOSE_DIGITS
                                                     : GTK_INPUT_PURPOSE_NUMBER,
                                    "width-chars", 14,
                                    "halign", GTK_ALIGN_START,
                                    "placeholder-text", bounds,
                                    NULL);
        if (bounds != NULL)
          gtk_accessible_update_property (GTK_ACCESSIBLE (item->entry),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, bounds,
                                          -1);
      }
      break;

    case PDM_QUESTION_DATE:
      item->entry = g_object_new (GTK_TYPE_ENTRY,
                                  /* Translators: how a date is typed into a form */
                                  "placeholder-text", _("DD/MM/YYYY"),
                                  "width-chars", 14,
                                  "halign", GTK_ALIGN_START,
                                  NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (item->entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("A date written as day/month/year, such as 25/11/2025"),
                                      -1);
      break;

    default:
      g_assert_not_reached ();
    }

  g_signal_connect (item->entry, "changed", G_CALLBACK (on_text_changed_cb), item);
  item->input = item->entry;
}

/* The references of @expr, as the indexes of the questions they name. */
static void
add_references (PdmFormView *self,
                GArray      *references,
                PdmExpr     *expr)
{
  const char * const *ids;

  if (expr == NULL)
    return;

  ids = pdm_expr_get_references (expr);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      PdmFormQuestion *question = pdm_form_lookup_question (self->form, ids[i]);

      if (question != NULL)
        {
          guint index = pdm_form_question_get_index (question);

          g_array_append_val (references, index);
        }
    }
}

static void
build_item (PdmFormView *self,
            Item        *item,
            guint        number)
{
  PdmFormQuestion *question = item->question;
  PdmFormSection *section = pdm_form_question_get_section (question);
  const char *hint = pdm_form_question_get_hint (question);
  g_autofree char *number_text = NULL;
  GtkWidget *title_box;
  GtkEventController *focus;

  item->references = g_array_new (FALSE, FALSE, sizeof (guint));
  add_references (self, item->references, pdm_form_section_get_relevant (section));
  add_references (self, item->references, pdm_form_question_get_relevant (question));
  add_references (self, item->references, pdm_form_question_get_calculate (question));
  item->has_relevance = pdm_form_section_get_relevant (section) != NULL ||
                        pdm_form_question_get_relevant (question) != NULL;
  item->shown = TRUE;

  item->block = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (item->block, "card");
  gtk_widget_add_css_class (item->block, "form-question");

  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  if (number > 0)
    {
      GtkWidget *number_label;

      number_text = g_strdup_printf ("%u.", number);
      number_label = gtk_label_new (number_text);
      gtk_widget_set_valign (number_label, GTK_ALIGN_START);
      gtk_widget_add_css_class (number_label, "heading");
      gtk_widget_add_css_class (number_label, "numeric");
      gtk_box_append (GTK_BOX (title_box), number_label);
    }
  item->title = label_new (pdm_form_question_get_label (question), "form-question-label");
  gtk_widget_set_hexpand (item->title, TRUE);
  gtk_box_append (GTK_BOX (title_box), item->title);
  if (pdm_form_question_get_required (question))
    {
      GtkWidget *mark = gtk_label_new ("*");

      gtk_widget_set_valign (mark, GTK_ALIGN_START);
      gtk_widget_add_css_class (mark, "error");
      gtk_widget_add_css_class (mark, "heading");
      gtk_widget_set_tooltip_text (mark, _("An answer is required"));
      gtk_box_append (GTK_BOX (title_box), mark);
    }
  gtk_box_append (GTK_BOX (item->block), title_box);

  if (hint != NULL)
    {
      GtkWidget *hint_label = label_new (hint, "dim-label");

      gtk_widget_add_css_class (hint_label, "caption");
      gtk_box_append (GTK_BOX (item->block), hint_label);
    }

  build_input (self, item);
  if (item->text_view != NULL)
    {
      GtkWidget *frame = gtk_frame_new (NULL);

      gtk_frame_set_child (GTK_FRAME (frame), item->text_view);
      gtk_box_append (GTK_BOX (item->block), frame);
    }
  else
    gtk_box_append (GTK_BOX (item->block), item->input);

  item->error_label = label_new (NULL, "error");
  gtk_widget_set_visible (item->error_label, FALSE);
  gtk_box_append (GTK_BOX (item->block), item->error_label);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (item->input),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, item->title, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, item->error_label, NULL,
                                  -1);
  if (pdm_form_question_get_required (question))
    gtk_accessible_update_property (GTK_ACCESSIBLE (item->input),
                                    GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE,
                                    -1);
  if (item_is_calculated (item))
    gtk_accessible_update_property (GTK_ACCESSIBLE (item->input),
                                    GTK_ACCESSIBLE_PROPERTY_READ_ONLY, TRUE,
                                    -1);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (on_block_focus_enter_cb), item);
  gtk_widget_add_controller (item->block, focus);
}

static GtkWidget *
section_box_new (PdmFormSection *section)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  const char *description = pdm_form_section_get_description (section);
  GtkWidget *title = label_new (pdm_form_section_get_title (section), "title-3");

  gtk_accessible_update_property (GTK_ACCESSIBLE (title),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 2,
                                  -1);
  gtk_box_append (GTK_BOX (box), title);
  if (description != NULL)
    gtk_box_append (GTK_BOX (box), label_new (description, "dim-label"));

  return box;
}

static void
build (PdmFormView *self)
{
  const char *description = pdm_form_get_description (self->form);
  guint number = 0;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_box_append (GTK_BOX (self->box), label_new (pdm_form_get_title (self->form), "title-2"));
  if (description != NULL)
    gtk_box_append (GTK_BOX (self->box), label_new (description, NULL));

  self->n_sections = pdm_form_get_n_sections (self->form);
  self->sections = g_new0 (SectionView, self->n_sections);
  self->n_items = pdm_form_get_n_questions (self->form);
  self->items = g_new0 (Item, self->n_items);

  for (guint s = 0; s < self->n_sections; s++)
    {
      PdmFormSection *section = pdm_form_get_section (self->form, s);
      SectionView *view = &self->sections[s];

      view->box = section_box_new (section);
      view->n = pdm_form_section_get_n_questions (section);
      if (view->n > 0)
        view->first = pdm_form_question_get_index (pdm_form_section_get_question (section, 0));
      gtk_box_append (GTK_BOX (self->box), view->box);

      for (guint q = 0; q < view->n; q++)
        {
          PdmFormQuestion *question = pdm_form_section_get_question (section, q);
          Item *item = &self->items[pdm_form_question_get_index (question)];

          item->view = self;
          item->question = question;
          item->type = pdm_form_question_get_question_type (question);
          item->index = pdm_form_question_get_index (question);
          item->section = s;
          self->has_calculations |= pdm_form_question_is_calculated (question);

          /* The questions a person answers are numbered, as on paper. */
          build_item (self, item, item_is_calculated (item) ? 0 : ++number);
          gtk_box_append (GTK_BOX (view->box), item->block);
        }
    }
}

/* --- public --------------------------------------------------------------- */

/**
 * pdm_form_view_new:
 * @form: the form to fill in
 *
 * Returns: (transfer floating): a view of @form without answers
 */
GtkWidget *
pdm_form_view_new (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);

  return g_object_new (PDM_TYPE_FORM_VIEW,
                       "form", form,
                       NULL);
}

PdmForm *
pdm_form_view_get_form (PdmFormView *self)
{
  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), NULL);

  return self->form;
}

/**
 * pdm_form_view_get_answers:
 *
 * The answers as typed, answers to questions skip logic hides now
 * included (they count again when the question shows again); what to
 * store is pdm_form_compute() of them.
 *
 * Returns: (transfer none): the answers; they change as a person types
 */
JsonObject *
pdm_form_view_get_answers (PdmFormView *self)
{
  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), NULL);

  return self->answers;
}

/**
 * pdm_form_view_set_answers:
 * @answers: (nullable): the answers to show, such as a draft's; %NULL for
 *   none
 *
 * Shows @answers (copied) in place of the current ones, without
 * PdmFormView::answers-changed. Problems shown are cleared. Members that
 * are no question of the form are dropped: they could never be submitted.
 */
void
pdm_form_view_set_answers (PdmFormView *self,
                           JsonObject  *answers)
{
  g_autoptr(GList) members = NULL;

  g_return_if_fail (PDM_IS_FORM_VIEW (self));

  g_clear_pointer (&self->answers, json_object_unref);
  self->answers = json_object_new ();
  if (answers != NULL)
    members = json_object_get_members (answers);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (pdm_form_lookup_question (self->form, l->data) == NULL)
        {
          g_debug ("Dropped the answer “%s”: no question of %s", (const char *) l->data,
                   pdm_form_get_id (self->form));
          continue;
        }
      json_object_set_member (self->answers, l->data,
                              json_node_copy (json_object_get_member (answers, l->data)));
    }

  self->loading = TRUE;
  for (guint i = 0; i < self->n_items; i++)
    {
      Item *item = &self->items[i];

      item_show_answer (item, json_object_get_member (self->answers,
                                                      pdm_form_question_get_id (item->question)));
      item_show_problem (item, NULL);
    }
  self->loading = FALSE;

  update_dependents (self, NO_INDEX);
}

/**
 * pdm_form_view_set_answer:
 * @question_id: a question of the form
 * @answer: (nullable): its answer, %NULL for none
 *
 * Answers one question as a person would: the input shows it, skip logic
 * and calculations follow, and PdmFormView::answers-changed is emitted.
 */
void
pdm_form_view_set_answer (PdmFormView *self,
                          const char  *question_id,
                          JsonNode    *answer)
{
  Item *item;

  g_return_if_fail (PDM_IS_FORM_VIEW (self));
  g_return_if_fail (question_id != NULL);

  item = find_item (self, question_id);
  g_return_if_fail (item != NULL);

  self->loading = TRUE;
  item_show_answer (item, answer);
  self->loading = FALSE;
  answer_changed (self, item);
}

gboolean
pdm_form_view_get_editable (PdmFormView *self)
{
  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), FALSE);

  return self->editable;
}

/* A submitted response is shown, not edited. */
void
pdm_form_view_set_editable (PdmFormView *self,
                            gboolean     editable)
{
  g_return_if_fail (PDM_IS_FORM_VIEW (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  for (guint i = 0; i < self->n_items; i++)
    {
      Item *item = &self->items[i];

      if (item->entry != NULL)
        gtk_editable_set_editable (GTK_EDITABLE (item->entry), editable);
      else if (item->text_view != NULL)
        gtk_text_view_set_editable (GTK_TEXT_VIEW (item->text_view), editable);
      else if (item_is_choice (item))
        {
          /* Not insensitive: the answer given must stay easy to read. */
          gtk_widget_set_can_target (item->input, editable);
          for (guint b = 0; b < item->n_buttons; b++)
            gtk_widget_set_focusable (item->buttons[b], editable);
        }
      if (!item_is_calculated (item))
        gtk_accessible_update_property (GTK_ACCESSIBLE (item->input),
                                        GTK_ACCESSIBLE_PROPERTY_READ_ONLY, !editable,
                                        -1);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

gboolean
pdm_form_view_get_data_entry (PdmFormView *self)
{
  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), FALSE);

  return self->data_entry;
}

void
pdm_form_view_set_data_entry (PdmFormView *self,
                              gboolean     data_entry)
{
  g_return_if_fail (PDM_IS_FORM_VIEW (self));

  data_entry = !!data_entry;
  if (self->data_entry == data_entry)
    return;

  self->data_entry = data_entry;
  if (data_entry)
    gtk_widget_add_css_class (GTK_WIDGET (self), "data-entry");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "data-entry");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_ENTRY]);
}

/* The question being filled in, or NULL before any. */
PdmFormQuestion *
pdm_form_view_get_current (PdmFormView *self)
{
  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), NULL);

  return self->current != NO_INDEX ? self->items[self->current].question : NULL;
}

/* Makes @question current, gives its input the focus and scrolls to it. */
void
pdm_form_view_set_current (PdmFormView     *self,
                           PdmFormQuestion *question)
{
  g_return_if_fail (PDM_IS_FORM_VIEW (self));
  g_return_if_fail (question == NULL ||
                    pdm_form_lookup_question (self->form,
                                              pdm_form_question_get_id (question)) == question);

  set_current (self, question != NULL ? pdm_form_question_get_index (question) : NO_INDEX,
               TRUE);
}

/* The first question shown that a person answers becomes current. */
void
pdm_form_view_go_first (PdmFormView *self)
{
  g_return_if_fail (PDM_IS_FORM_VIEW (self));

  set_current (self, find_answerable (self, NO_INDEX, 1), TRUE);
}

/**
 * pdm_form_view_validate:
 *
 * Checks the answers as a submit would (pdm_form_validate_answers()) and
 * shows each problem under its question; the first one becomes current
 * and gets the focus.
 *
 * Returns: whether the answers can be submitted
 */
gboolean
pdm_form_view_validate (PdmFormView *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  guint first = NO_INDEX;
  gboolean valid;

  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), FALSE);

  valid = pdm_form_validate_answers (self->form, self->answers, &problems);
  pdm_form_view_clear_problems (self);

  for (guint i = 0; i < problems->len; i++)
    {
      const PdmFormProblem *problem = g_ptr_array_index (problems, i);
      Item *item = find_item (self, problem->question_id);
      const char *message = problem->message;
      g_autofree char *date = NULL;

      if (item == NULL)
        continue;
      /* The engine speaks of the stored YYYY-MM-DD; a person types days
       * first. */
      if (item->type == PDM_QUESTION_DATE &&
          (date = parse_date (gtk_editable_get_text (GTK_EDITABLE (item->entry)))) == NULL)
        message = _("Write the date as day/month/year, such as 25/11/2025");
      item_show_problem (item, message);
      first = MIN (first, item->index);
    }

  if (first != NO_INDEX)
    set_current (self, first, TRUE);

  return valid;
}

void
pdm_form_view_clear_problems (PdmFormView *self)
{
  g_return_if_fail (PDM_IS_FORM_VIEW (self));

  for (guint i = 0; i < self->n_items; i++)
    item_show_problem (&self->items[i], NULL);
}

/* The problem shown under @question_id, or NULL. */
const char *
pdm_form_view_get_problem (PdmFormView *self,
                           const char  *question_id)
{
  Item *item;

  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), NULL);

  item = find_item (self, question_id);
  g_return_val_if_fail (item != NULL, NULL);

  return item->problem;
}

/* Whether skip logic shows @question_id with the answers now. */
gboolean
pdm_form_view_is_shown (PdmFormView *self,
                        const char  *question_id)
{
  Item *item;

  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), FALSE);

  item = find_item (self, question_id);
  g_return_val_if_fail (item != NULL, FALSE);

  return item->shown && gtk_widget_get_visible (item->block) &&
         gtk_widget_get_visible (self->sections[item->section].box);
}

/* What a calculated question shows, "3,17" or "—". */
const char *
pdm_form_view_get_shown_value (PdmFormView *self,
                               const char  *question_id)
{
  Item *item;

  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), NULL);

  item = find_item (self, question_id);
  g_return_val_if_fail (item != NULL, NULL);

  return item->shown_value;
}

/**
 * pdm_form_view_get_input:
 *
 * Returns: (transfer none): the widget that takes the answer of
 *   @question_id: a #GtkEntry, a #GtkTextView, a box of buttons, or the
 *   label of a calculated value
 */
GtkWidget *
pdm_form_view_get_input (PdmFormView *self,
                         const char  *question_id)
{
  Item *item;

  g_return_val_if_fail (PDM_IS_FORM_VIEW (self), NULL);

  item = find_item (self, question_id);
  g_return_val_if_fail (item != NULL, NULL);

  return item->input;
}

/* --- class ---------------------------------------------------------------- */

/* The view's styles, once per display: the highlight of the current
 * question belongs to this widget alone. */
static void
pdm_form_view_root (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);

  GTK_WIDGET_CLASS (pdm_form_view_parent_class)->root (widget);

  if (g_object_get_data (G_OBJECT (display), "pdm-form-view-css") == NULL)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider,
                                           PDM_RESOURCE_BASE_PATH "/pdm-form-view.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_set_data_full (G_OBJECT (display), "pdm-form-view-css",
                              g_steal_pointer (&provider), g_object_unref);
    }
}

static void
pdm_form_view_constructed (GObject *object)
{
  PdmFormView *self = PDM_FORM_VIEW (object);

  G_OBJECT_CLASS (pdm_form_view_parent_class)->constructed (object);

  g_assert (self->form != NULL);
  build (self);
  update_dependents (self, NO_INDEX);
}

static void
pdm_form_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PdmFormView *self = PDM_FORM_VIEW (object);

  switch (prop_id)
    {
    case PROP_FORM:
      g_value_set_boxed (value, self->form);
      break;

    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;

    case PROP_DATA_ENTRY:
      g_value_set_boolean (value, self->data_entry);
      break;

    case PROP_CURRENT_QUESTION:
      g_value_set_string (value, self->current != NO_INDEX
                                 ? pdm_form_question_get_id (self->items[self->current].question)
                                 : NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_form_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PdmFormView *self = PDM_FORM_VIEW (object);

  switch (prop_id)
    {
    case PROP_FORM:
      self->form = g_value_dup_boxed (value);
      break;

    case PROP_EDITABLE:
      pdm_form_view_set_editable (self, g_value_get_boolean (value));
      break;

    case PROP_DATA_ENTRY:
      pdm_form_view_set_data_entry (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_form_view_dispose (GObject *object)
{
  PdmFormView *self = PDM_FORM_VIEW (object);

  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (pdm_form_view_parent_class)->dispose (object);
}

static void
pdm_form_view_finalize (GObject *object)
{
  PdmFormView *self = PDM_FORM_VIEW (object);

  for (guint i = 0; i < self->n_items; i++)
    item_clear (&self->items[i]);
  g_free (self->items);
  g_free (self->sections);
  g_clear_pointer (&self->answers, json_object_unref);
  g_clear_pointer (&self->form, pdm_form_unref);

  G_OBJECT_CLASS (pdm_form_view_parent_class)->finalize (object);
}

static void
pdm_form_view_class_init (PdmFormViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdm_form_view_constructed;
  object_class->get_property = pdm_form_view_get_property;
  object_class->set_property = pdm_form_view_set_property;
  object_class->dispose = pdm_form_view_dispose;
  object_class->finalize = pdm_form_view_finalize;
  widget_class->root = pdm_form_view_root;

  properties[PROP_FORM] =
    g_param_spec_boxed ("form", NULL, NULL,
                        PDM_TYPE_FORM,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DATA_ENTRY] =
    g_param_spec_boolean ("data-entry", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The id of the question being filled in. */
  properties[PROP_CURRENT_QUESTION] =
    g_param_spec_string ("current-question", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdmFormView::answers-changed:
   *
   * A person changed an answer (not pdm_form_view_set_answers()).
   */
  signals[ANSWERS_CHANGED] =
    g_signal_new ("answers-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * PdmFormView::entry-finished:
   *
   * In data-entry mode, Enter was pressed on the last question: time to
   * submit.
   */
  signals[ENTRY_FINISHED] =
    g_signal_new ("entry-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "formview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_FORM);
}

static void
pdm_form_view_init (PdmFormView *self)
{
  GtkEventController *keys;

  self->editable = TRUE;
  self->current = NO_INDEX;
  self->answers = json_object_new ();

  /* Capture: the keys of data entry come before the focused input's. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (keys, KEYS_CONTROLLER_NAME);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
