/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-form"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pdm-core-resources.h"
#include "pdm-error.h"
#include "pdm-form.h"
#include "pdm-util.h"

/*
 * A form definition is read in two passes. The first walks the JSON,
 * checks every key and value and parses each expression; the second checks
 * the expressions' references and types, which needs every question known
 * (to tell "no such question" from "a question further down").
 *
 * Answers are evaluated in one forward pass over the questions: an
 * expression may only use questions before it, so when a question is
 * reached, the relevance and value of all it can depend on are known. A
 * question that is not relevant has no value for the questions after it,
 * whatever was typed in it before it was skipped.
 */

/* Numbers that agree to about 12 significant digits are equal, as in
 * expressions. */
#define NUMBER_EPSILON 1e-12

struct _PdmFormQuestion
{
  PdmFormSection  *section;
  guint            index;
  guint            index_in_section;
  char            *id;
  PdmQuestionType  type;
  char            *label;
  char            *hint;
  gboolean         required;
  PdmFormOption   *options;
  guint            n_options;
  /* the options' values, NULL-terminated, for the expression checker */
  char           **option_values;
  char            *scale_name;
  double           min;
  double           max;
  gboolean         integer;
  PdmExpr         *relevant;
  PdmExpr         *constraint;
  char            *constraint_message;
  PdmExpr         *calculate;
  JsonNode        *correct;
  double           points;
};

struct _PdmFormSection
{
  guint     index;
  char     *id;
  char     *title;
  char     *description;
  PdmExpr  *relevant;
  /* the section's questions are form->questions[first .. first + n - 1] */
  guint     first;
  guint     n;
  PdmForm  *form;
};

struct _PdmForm
{
  gatomicrefcount  ref_count;
  char            *id;
  gint64           version;
  char            *title;
  char            *kind;
  char            *description;
  double           pass_threshold;
  double           max_score;
  GPtrArray       *sections;
  GPtrArray       *questions;
  GHashTable      *questions_by_id;
};

G_DEFINE_BOXED_TYPE (PdmForm, pdm_form, pdm_form_ref, pdm_form_unref)
G_DEFINE_BOXED_TYPE (PdmFormProblem, pdm_form_problem,
                     pdm_form_problem_copy, pdm_form_problem_free)

static const char * const question_type_names[] = {
  [PDM_QUESTION_SINGLE_CHOICE] = "single_choice",
  [PDM_QUESTION_MULTIPLE_CHOICE] = "multiple_choice",
  [PDM_QUESTION_LIKERT] = "likert",
  [PDM_QUESTION_YES_NO] = "yes_no",
  [PDM_QUESTION_SHORT_TEXT] = "short_text",
  [PDM_QUESTION_LONG_TEXT] = "long_text",
  [PDM_QUESTION_NUMBER] = "number",
  [PDM_QUESTION_DATE] = "date",
};

static const char * const form_kinds[] = { "test", "evaluation", "survey", NULL };

static const char * const form_keys[] = {
  "$schema", "id", "version", "title", "kind", "description", "pass_threshold", "scales",
  "sections", NULL
};
static const char * const section_keys[] = {
  "id", "title", "description", "relevant", "questions", NULL
};
static const char * const question_keys[] = {
  "id", "type", "label", "hint", "required", "options", "scale", "min", "max", "integer",
  "constraint", "constraint_message", "relevant", "calculate", "correct", "points", NULL
};
static const char * const option_keys[] = { "value", "label", NULL };

/**
 * pdm_question_type_to_string:
 * @type: a #PdmQuestionType
 *
 * Returns: the type as a definition writes it, such as "single_choice"
 */
const char *
pdm_question_type_to_string (PdmQuestionType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (question_type_names), NULL);

  return question_type_names[type];
}

static gboolean
is_choice (PdmQuestionType type)
{
  return type == PDM_QUESTION_SINGLE_CHOICE || type == PDM_QUESTION_MULTIPLE_CHOICE;
}

/* What an answer to a question is, for the expression checker. */
static PdmExprType
question_value_type (PdmFormQuestion *question)
{
  switch (question->type)
    {
    case PDM_QUESTION_MULTIPLE_CHOICE:
      return PDM_EXPR_TYPE_LIST;
    case PDM_QUESTION_LIKERT:
    case PDM_QUESTION_NUMBER:
      return PDM_EXPR_TYPE_NUMBER;
    case PDM_QUESTION_YES_NO:
      return PDM_EXPR_TYPE_BOOLEAN;
    case PDM_QUESTION_SINGLE_CHOICE:
    case PDM_QUESTION_SHORT_TEXT:
    case PDM_QUESTION_LONG_TEXT:
    case PDM_QUESTION_DATE:
    default:
      return PDM_EXPR_TYPE_STRING;
    }
}

static void
question_free (PdmFormQuestion *question)
{
  for (guint i = 0; i < question->n_options; i++)
    {
      g_free ((char *) question->options[i].value);
      g_free ((char *) question->options[i].label);
    }
  g_free (question->options);
  g_strfreev (question->option_values);
  g_free (question->id);
  g_free (question->label);
  g_free (question->hint);
  g_free (question->scale_name);
  g_clear_pointer (&question->relevant, pdm_expr_unref);
  g_clear_pointer (&question->constraint, pdm_expr_unref);
  g_clear_pointer (&question->calculate, pdm_expr_unref);
  g_free (question->constraint_message);
  g_clear_pointer (&question->correct, json_node_unref);
  g_free (question);
}

static void
section_free (PdmFormSection *section)
{
  g_free (section->id);
  g_free (section->title);
  g_free (section->description);
  g_clear_pointer (&section->relevant, pdm_expr_unref);
  g_free (section);
}

static PdmForm *
form_new (void)
{
  PdmForm *form = g_new0 (PdmForm, 1);

  g_atomic_ref_count_init (&form->ref_count);
  form->pass_threshold = NAN;
  form->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  form->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  form->questions_by_id = g_hash_table_new (g_str_hash, g_str_equal);

  return form;
}

PdmForm *
pdm_form_ref (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);

  g_atomic_ref_count_inc (&form->ref_count);

  return form;
}

void
pdm_form_unref (PdmForm *form)
{
  g_return_if_fail (form != NULL);

  if (!g_atomic_ref_count_dec (&form->ref_count))
    return;

  g_free (form->id);
  g_free (form->title);
  g_free (form->kind);
  g_free (form->description);
  g_hash_table_unref (form->questions_by_id);
  g_ptr_array_unref (form->questions);
  g_ptr_array_unref (form->sections);
  g_free (form);
}

/* --- loading: paths and values ----------------------------------------- */

typedef struct
{
  PdmForm    *form;
  /* the JSON path of what is being read, "$.sections[1].questions[3]" */
  GString    *path;
  /* name → JsonArray of the form's "scales" */
  JsonObject *scales;
} Loader;

static gsize
path_push_key (Loader     *loader,
               const char *key)
{
  gsize length = loader->path->len;

  g_string_append_printf (loader->path, ".%s", key);
  return length;
}

static gsize
path_push_index (Loader *loader,
                 guint   index)
{
  gsize length = loader->path->len;

  g_string_append_printf (loader->path, "[%u]", index);
  return length;
}

static void
path_pop (Loader *loader,
          gsize   length)
{
  g_string_truncate (loader->path, length);
}

static void
fail_with_reason (const char  *path,
                  const char  *reason,
                  GError     **error)
{
  /* Translators: a mistake in a form definition: where it is, as a JSON
   * path such as $.sections[1].questions[3].type, then the reason */
  g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA, _("%s: %s"), path, reason);
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (Loader      *loader,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  fail_with_reason (loader->path->str, reason, error);
  return FALSE;
}

/* The same, with the path of @key inside the object being read. */
static gboolean G_GNUC_PRINTF (4, 5)
fail_at_key (Loader      *loader,
             const char  *key,
             GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *reason = NULL;
  gsize length = path_push_key (loader, key);
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  fail_with_reason (loader->path->str, reason, error);
  path_pop (loader, length);
  return FALSE;
}

static gboolean
is_identifier (const char *text,
               gboolean    lowercase_only)
{
  if (!g_ascii_isalpha (text[0]) && !(lowercase_only && g_ascii_isdigit (text[0])))
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (lowercase_only && g_ascii_isupper (*p))
        return FALSE;
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
        return FALSE;
    }

  return TRUE;
}

/* Unknown keys are refused: a misspelt "relevent" would otherwise silently
 * show a question that should be skipped. */
static gboolean
check_keys (Loader              *loader,
            JsonObject          *object,
            const char * const  *allowed,
            GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *known = g_strjoinv (", ", (char **) allowed);

        return fail_at_key (loader, l->data, error, _("unknown key; the keys here are %s"),
                            known);
      }

  return TRUE;
}

static gboolean
node_is (JsonNode *node,
         GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node_is (node, G_TYPE_INT64) || node_is (node, G_TYPE_DOUBLE);
}

static JsonObject *
get_object (Loader      *loader,
            JsonNode    *node,
            GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (loader, error, _("must be a JSON object ({ … })"));
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
get_string (Loader      *loader,
            JsonObject  *object,
            const char  *key,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    {
      if (required)
        return fail (loader, error, _("the key “%s” is missing"), key);
      return TRUE;
    }

  if (!node_is (node, G_TYPE_STRING))
    return fail_at_key (loader, key, error, _("must be a text in double quotes"));

  if (required && pdm_form_answer_is_empty (node))
    return fail_at_key (loader, key, error, _("must not be empty"));

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_boolean (Loader      *loader,
             JsonObject  *object,
             const char  *key,
             gboolean    *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!node_is (node, G_TYPE_BOOLEAN))
    return fail_at_key (loader, key, error, _("must be true or false"));

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_number (Loader      *loader,
            JsonObject  *object,
            const char  *key,
            double      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!node_is_number (node))
    return fail_at_key (loader, key, error, _("must be a number"));

  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
get_expr (Loader      *loader,
          JsonObject  *object,
          const char  *key,
          PdmExpr    **out,
          GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) reason = NULL;

  if (!get_string (loader, object, key, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = pdm_expr_parse (text, &reason);
  if (*out == NULL)
    return fail_at_key (loader, key, error, "%s", reason->message);

  return TRUE;
}

static JsonArray *
get_array (Loader      *loader,
           JsonObject  *object,
           const char  *key,
           guint        min_length,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  JsonArray *array;

  if (node == NULL)
    {
      fail (loader, error, _("the key “%s” is missing"), key);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail_at_key (loader, key, error, _("must be a list ([ … ])"));
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) < min_length)
    {
      fail_at_key (loader, key, error,
                   ngettext ("must have at least %u entry", "must have at least %u entries",
                             min_length),
                   min_length);
      return NULL;
    }

  return array;
}

static char *
format_number (double number)
{
  return g_strdup_printf ("%.15g", number);
}

/* --- loading: options and scales --------------------------------------- */

/* Reads a list of {value, label}: option values are texts, scale points
 * numbers. Each value once. */
static gboolean
load_options (Loader           *loader,
              PdmFormQuestion  *question,
              JsonArray        *array,
              gboolean          numbers,
              GError          **error)
{
  guint n = json_array_get_length (array);

  question->options = g_new0 (PdmFormOption, n);
  question->option_values = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      gsize length = path_push_index (loader, i);
      PdmFormOption *option = &question->options[i];
      JsonObject *object;
      JsonNode *value;

      if ((object = get_object (loader, json_array_get_element (array, i), error)) == NULL ||
          !check_keys (loader, object, option_keys, error))
        return FALSE;

      value = json_object_get_member (object, "value");
      if (value == NULL)
        return fail (loader, error, _("the key “%s” is missing"), "value");

      if (numbers)
        {
          if (!node_is_number (value))
            return fail_at_key (loader, "value", error, _("a scale point’s value must be a number"));
          option->number = json_node_get_double (value);
          option->value = format_number (option->number);
        }
      else
        {
          g_autofree char *text = NULL;

          if (!get_string (loader, object, "value", TRUE, &text, error))
            return FALSE;
          option->number = NAN;
          option->value = g_steal_pointer (&text);
        }
      question->n_options++;

      for (guint j = 0; j < i; j++)
        if (numbers ? question->options[j].number == option->number
                    : g_str_equal (question->options[j].value, option->value))
          return fail_at_key (loader, "value", error,
                              _("the value “%s” is already used by entry %u"),
                              option->value, j);

      if (!get_string (loader, object, "label", TRUE, (char **) &option->label, error))
        return FALSE;

      question->option_values[i] = g_strdup (option->value);
      path_pop (loader, length);
    }

  return TRUE;
}

static gboolean
load_scale (Loader           *loader,
            PdmFormQuestion  *question,
            JsonObject       *object,
            GError          **error)
{
  JsonNode *node = json_object_get_member (object, "scale");
  gboolean ok;
  gsize length;

  if (node_is (node, G_TYPE_STRING))
    {
      const char *name = json_node_get_string (node);
      g_autoptr(GString) saved = NULL;
      JsonNode *scale = loader->scales != NULL ? json_object_get_member (loader->scales, name)
                                               : NULL;

      if (scale == NULL)
        return fail_at_key (loader, "scale", error,
                            _("there is no scale “%s” in $.scales"), name);

      /* A named scale was checked where it is defined: its path goes in
       * the messages, not the question's. */
      question->scale_name = g_strdup (name);
      saved = g_string_new (loader->path->str);
      g_string_assign (loader->path, "$.scales");
      path_push_key (loader, name);
      ok = load_options (loader, question, json_node_get_array (scale), TRUE, error);
      g_string_assign (loader->path, saved->str);
      return ok;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_at_key (loader, "scale", error,
                        _("must be the name of a scale in $.scales or a list of points"));

  if (json_array_get_length (json_node_get_array (node)) < 2)
    return fail_at_key (loader, "scale", error,
                        ngettext ("must have at least %u entry", "must have at least %u entries",
                                  2),
                        2);

  length = path_push_key (loader, "scale");
  ok = load_options (loader, question, json_node_get_array (node), TRUE, error);
  path_pop (loader, length);

  return ok;
}

/* Named scales are checked once, where they are defined, so that a mistake
 * is reported at $.scales.name and not at every question using it. */
static gboolean
load_scales (Loader      *loader,
             JsonObject  *root,
             GError     **error)
{
  JsonNode *node = json_object_get_member (root, "scales");
  g_autoptr(GList) members = NULL;
  gsize length;

  if (node == NULL)
    return TRUE;

  length = path_push_key (loader, "scales");
  if ((loader->scales = get_object (loader, node, error)) == NULL)
    return FALSE;

  members = json_object_get_members (loader->scales);
  for (GList *l = members; l != NULL; l = l->next)
    {
      PdmFormQuestion scratch = { 0, };
      gsize scale_length;
      gboolean ok;

      if (!is_identifier (l->data, FALSE))
        return fail_at_key (loader, l->data, error,
                            _("a scale name has only letters, digits, “_” and “-”, and "
                              "starts with a letter"));

      if (get_array (loader, loader->scales, l->data, 2, error) == NULL)
        return FALSE;

      scale_length = path_push_key (loader, l->data);
      ok = load_options (loader, &scratch, json_object_get_array_member (loader->scales, l->data),
                         TRUE, error);
      path_pop (loader, scale_length);
      for (guint i = 0; i < scratch.n_options; i++)
        {
          g_free ((char *) scratch.options[i].value);
          g_free ((char *) scratch.options[i].label);
        }
      g_free (scratch.options);
      g_strfreev (scratch.option_values);
      if (!ok)
        return FALSE;
    }

  path_pop (loader, length);
  return TRUE;
}

/* --- loading: questions ------------------------------------------------ */

static gboolean
load_correct (Loader           *loader,
              PdmFormQuestion  *question,
              JsonNode         *node,
              GError          **error)
{
  switch (question->type)
    {
    case PDM_QUESTION_SINGLE_CHOICE:
      if (!node_is (node, G_TYPE_STRING))
        return fail_at_key (loader, "correct", error,
                            _("the answer key of a single_choice question is the value of one "
                              "option"));
      if (!g_strv_contains ((const char * const *) question->option_values,
                            json_node_get_string (node)))
        return fail_at_key (loader, "correct", error, _("“%s” is not one of the options"),
                            json_node_get_string (node));
      break;

    case PDM_QUESTION_MULTIPLE_CHOICE:
      {
        JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
        guint n = array != NULL ? json_array_get_length (array) : 0;

        if (n == 0)
          return fail_at_key (loader, "correct", error,
                              _("the answer key of a multiple_choice question is a list of the "
                                "values of the options to choose"));
        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            const char *value;

            if (!node_is (element, G_TYPE_STRING))
              return fail_at_key (loader, "correct", error,
                                  _("the answer key of a multiple_choice question is a list of "
                                    "the values of the options to choose"));
            value = json_node_get_string (element);
            if (!g_strv_contains ((const char * const *) question->option_values, value))
              return fail_at_key (loader, "correct", error, _("“%s” is not one of the options"),
                                  value);
            for (guint j = 0; j < i; j++)
              if (g_str_equal (json_array_get_string_element (array, j), value))
                return fail_at_key (loader, "correct", error, _("“%s” is listed twice"), value);
          }
      }
      break;

    case PDM_QUESTION_YES_NO:
      if (!node_is (node, G_TYPE_BOOLEAN))
        return fail_at_key (loader, "correct", error,
                            _("the answer key of a yes_no question is true or false"));
      break;

    case PDM_QUESTION_NUMBER:
      if (!node_is_number (node))
        return fail_at_key (loader, "correct", error,
                            _("the answer key of a number question is a number"));
      if (json_node_get_double (node) < question->min ||
          json_node_get_double (node) > question->max)
        return fail_at_key (loader, "correct", error,
                            _("the answer key is outside the question’s minimum and maximum"));
      break;

    case PDM_QUESTION_LIKERT:
    case PDM_QUESTION_SHORT_TEXT:
    case PDM_QUESTION_LONG_TEXT:
    case PDM_QUESTION_DATE:
    default:
      return fail_at_key (loader, "correct", error,
                          _("a %s question has no right or wrong answer, so no answer key"),
                          question_type_names[question->type]);
    }

  question->correct = json_node_copy (node);
  return TRUE;
}

static gboolean
load_question_type (Loader           *loader,
                    PdmFormQuestion  *question,
                    JsonObject       *object,
                    GError          **error)
{
  g_autofree char *type = NULL;

  if (!get_string (loader, object, "type", TRUE, &type, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (question_type_names); i++)
    if (g_str_equal (type, question_type_names[i]))
      {
        question->type = i;
        return TRUE;
      }

  {
    g_autoptr(GString) known = g_string_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (question_type_names); i++)
      g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", question_type_names[i]);

    return fail_at_key (loader, "type", error,
                        _("“%s” is not a question type; the types are %s"), type, known->str);
  }
}

/* Keys that belong to some question types only. */
static gboolean
refuse_key (Loader      *loader,
            JsonObject  *object,
            const char  *key,
            gboolean     allowed,
            const char  *reason,
            GError     **error)
{
  if (allowed || !json_object_has_member (object, key))
    return TRUE;

  return fail_at_key (loader, key, error, "%s", reason);
}

static gboolean
load_question (Loader          *loader,
               PdmFormSection  *section,
               JsonNode        *node,
               GError         **error)
{
  PdmFormQuestion *question = g_new0 (PdmFormQuestion, 1);
  PdmForm *form = loader->form;
  PdmFormQuestion *other;
  JsonObject *object;
  JsonArray *options;
  JsonNode *correct;

  question->section = section;
  question->index = form->questions->len;
  question->index_in_section = section->n;
  question->min = -INFINITY;
  question->max = INFINITY;
  question->points = 1;
  g_ptr_array_add (form->questions, question);
  section->n++;

  if ((object = get_object (loader, node, error)) == NULL ||
      !check_keys (loader, object, question_keys, error) ||
      !get_string (loader, object, "id", TRUE, &question->id, error))
    return FALSE;

  if (!is_identifier (question->id, FALSE))
    return fail_at_key (loader, "id", error,
                        _("“%s” is not a valid id: it has only letters, digits, “_” and “-”, "
                          "and starts with a letter"),
                        question->id);

  other = g_hash_table_lookup (form->questions_by_id, question->id);
  if (other != NULL)
    return fail_at_key (loader, "id", error,
                        _("the id “%s” is already used by $.sections[%u].questions[%u]"),
                        question->id, other->section->index, other->index_in_section);
  g_hash_table_insert (form->questions_by_id, question->id, question);

  if (!load_question_type (loader, question, object, error) ||
      !get_string (loader, object, "label", TRUE, &question->label, error) ||
      !get_string (loader, object, "hint", FALSE, &question->hint, error) ||
      !get_boolean (loader, object, "required", &question->required, error))
    return FALSE;

  if (!refuse_key (loader, object, "options", is_choice (question->type),
                   _("only single_choice and multiple_choice questions have options"), error) ||
      !refuse_key (loader, object, "scale", question->type == PDM_QUESTION_LIKERT,
                   _("only likert questions have a scale"), error) ||
      !refuse_key (loader, object, "min", question->type == PDM_QUESTION_NUMBER,
                   _("only number questions have a minimum"), error) ||
      !refuse_key (loader, object, "max", question->type == PDM_QUESTION_NUMBER,
                   _("only number questions have a maximum"), error) ||
      !refuse_key (loader, object, "integer", question->type == PDM_QUESTION_NUMBER,
                   _("only number questions can be limited to whole numbers"), error))
    return FALSE;

  if (is_choice (question->type))
    {
      gsize length;

      if ((options = get_array (loader, object, "options", 2, error)) == NULL)
        return FALSE;
      length = path_push_key (loader, "options");
      if (!load_options (loader, question, options, FALSE, error))
        return FALSE;
      path_pop (loader, length);
    }
  else if (question->type == PDM_QUESTION_LIKERT)
    {
      if (!json_object_has_member (object, "scale"))
        return fail (loader, error, _("the key “%s” is missing"), "scale");
      if (!load_scale (loader, question, object, error))
        return FALSE;
    }
  else
    {
      question->option_values = g_new0 (char *, 1);
    }

  if (!get_number (loader, object, "min", &question->min, error) ||
      !get_number (loader, object, "max", &question->max, error) ||
      !get_boolean (loader, object, "integer", &question->integer, error))
    return FALSE;

  if (question->min > question->max)
    {
      g_autofree char *min = format_number (question->min);
      g_autofree char *max = format_number (question->max);

      return fail_at_key (loader, "max", error, _("the maximum %s is less than the minimum %s"),
                          max, min);
    }

  if (!get_expr (loader, object, "relevant", &question->relevant, error) ||
      !get_expr (loader, object, "constraint", &question->constraint, error) ||
      !get_string (loader, object, "constraint_message", FALSE, &question->constraint_message,
                   error) ||
      !get_expr (loader, object, "calculate", &question->calculate, error))
    return FALSE;

  if (question->constraint_message != NULL && question->constraint == NULL)
    return fail_at_key (loader, "constraint_message", error,
                        _("a constraint message needs a constraint"));

  if (question->calculate != NULL)
    {
      if (question->type != PDM_QUESTION_NUMBER && question->type != PDM_QUESTION_SHORT_TEXT &&
          question->type != PDM_QUESTION_YES_NO)
        return fail_at_key (loader, "calculate", error,
                            _("only number, short_text and yes_no questions can be calculated"));
      if (question->required)
        return fail_at_key (loader, "required", error,
                            _("a calculated question is never typed in, so it cannot be "
                              "required"));
      if (question->constraint != NULL)
        return fail_at_key (loader, "constraint", error,
                            _("a calculated question is never typed in, so it has no "
                              "constraint"));
      if (json_object_has_member (object, "correct"))
        return fail_at_key (loader, "correct", error,
                            _("a calculated question is never typed in, so it has no answer "
                              "key"));
    }

  correct = json_object_get_member (object, "correct");
  if (correct != NULL && !load_correct (loader, question, correct, error))
    return FALSE;

  if (json_object_has_member (object, "points"))
    {
      if (question->correct == NULL)
        return fail_at_key (loader, "points", error,
                            _("points need an answer key (“correct”)"));
      if (!get_number (loader, object, "points", &question->points, error))
        return FALSE;
      if (!(question->points > 0))
        return fail_at_key (loader, "points", error, _("must be more than 0"));
    }

  if (question->correct != NULL)
    form->max_score += question->points;

  return TRUE;
}

static gboolean
load_section (Loader      *loader,
              JsonNode    *node,
              GError     **error)
{
  PdmFormSection *section = g_new0 (PdmFormSection, 1);
  PdmForm *form = loader->form;
  JsonObject *object;
  JsonArray *questions;
  gsize length;

  section->form = form;
  section->index = form->sections->len;
  section->first = form->questions->len;
  g_ptr_array_add (form->sections, section);

  if ((object = get_object (loader, node, error)) == NULL ||
      !check_keys (loader, object, section_keys, error) ||
      !get_string (loader, object, "id", TRUE, &section->id, error))
    return FALSE;

  if (!is_identifier (section->id, FALSE))
    return fail_at_key (loader, "id", error,
                        _("“%s” is not a valid id: it has only letters, digits, “_” and “-”, "
                          "and starts with a letter"),
                        section->id);

  for (guint i = 0; i < section->index; i++)
    {
      PdmFormSection *other = g_ptr_array_index (form->sections, i);

      if (g_str_equal (other->id, section->id))
        return fail_at_key (loader, "id", error,
                            _("the id “%s” is already used by $.sections[%u]"), section->id, i);
    }

  if (!get_string (loader, object, "title", TRUE, &section->title, error) ||
      !get_string (loader, object, "description", FALSE, &section->description, error) ||
      !get_expr (loader, object, "relevant", &section->relevant, error) ||
      (questions = get_array (loader, object, "questions", 1, error)) == NULL)
    return FALSE;

  length = path_push_key (loader, "questions");
  for (guint i = 0; i < json_array_get_length (questions); i++)
    {
      gsize question_length = path_push_index (loader, i);

      if (!load_question (loader, section, json_array_get_element (questions, i), error))
        return FALSE;
      path_pop (loader, question_length);
    }
  path_pop (loader, length);

  return TRUE;
}

/* --- loading: expressions ---------------------------------------------- */

typedef struct
{
  PdmForm         *form;
  /* the first question an expression may not use */
  guint            limit;
  /* the question of a constraint, which may use its own answer */
  PdmFormQuestion *self;
} Scope;

static gboolean
resolve_reference (const char          *id,
                   PdmExprType         *out_type,
                   const char * const **out_options,
                   gpointer             user_data,
                   GError             **error)
{
  Scope *scope = user_data;
  PdmFormQuestion *question;

  if (g_str_equal (id, PDM_EXPR_SELF))
    {
      if (scope->self == NULL)
        {
          g_set_error_literal (error, PDM_ERROR, PDM_ERROR_EXPRESSION,
                               _("“.” (this question’s answer) can only be used in a "
                                 "constraint"));
          return FALSE;
        }
      question = scope->self;
    }
  else
    {
      question = g_hash_table_lookup (scope->form->questions_by_id, id);
      if (question == NULL)
        {
          g_set_error (error, PDM_ERROR, PDM_ERROR_EXPRESSION,
                       _("there is no question “%s” in this form"), id);
          return FALSE;
        }
      if (question != scope->self && question->index >= scope->limit)
        {
          g_set_error (error, PDM_ERROR, PDM_ERROR_EXPRESSION,
                       _("the question “%s” is not before this one; an expression can only use "
                         "the answers of questions that come before it"),
                       id);
          return FALSE;
        }
    }

  *out_type = question_value_type (question);
  *out_options = is_choice (question->type) ? (const char * const *) question->option_values
                                            : NULL;
  return TRUE;
}

static gboolean
check_expr (PdmForm          *form,
            PdmExpr          *expr,
            const char       *path,
            guint             limit,
            PdmFormQuestion  *self,
            PdmExprType       wanted,
            const char       *wanted_name,
            GError          **error)
{
  Scope scope = { form, limit, self };
  g_autoptr(GError) reason = NULL;
  PdmExprType type;

  if (expr == NULL)
    return TRUE;

  type = pdm_expr_check (expr, resolve_reference, &scope, &reason);
  if (type == 0)
    {
      fail_with_reason (path, reason->message, error);
      return FALSE;
    }

  if ((type & ~(wanted | PDM_EXPR_TYPE_NULL)) != 0)
    {
      g_autofree char *message = NULL;

      /* Translators: an expression of a form gives the wrong kind of value:
       * what is needed ("true or false"), then what it gives ("a number") */
      message = g_strdup_printf (_("this must give %s, not %s"), wanted_name,
                                 pdm_expr_type_to_string (type & ~wanted));
      fail_with_reason (path, message, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_expressions (PdmForm  *form,
                   GError  **error)
{
  for (guint s = 0; s < form->sections->len; s++)
    {
      PdmFormSection *section = g_ptr_array_index (form->sections, s);
      g_autofree char *path = g_strdup_printf ("$.sections[%u].relevant", s);

      if (!check_expr (form, section->relevant, path, section->first, NULL,
                       PDM_EXPR_TYPE_BOOLEAN, pdm_expr_type_to_string (PDM_EXPR_TYPE_BOOLEAN),
                       error))
        return FALSE;

      for (guint i = 0; i < section->n; i++)
        {
          PdmFormQuestion *question = g_ptr_array_index (form->questions, section->first + i);
          g_autofree char *base = g_strdup_printf ("$.sections[%u].questions[%u]", s, i);
          g_autofree char *relevant = g_strconcat (base, ".relevant", NULL);
          g_autofree char *constraint = g_strconcat (base, ".constraint", NULL);
          g_autofree char *calculate = g_strconcat (base, ".calculate", NULL);
          PdmExprType type = question_value_type (question);

          if (!check_expr (form, question->relevant, relevant, question->index, NULL,
                           PDM_EXPR_TYPE_BOOLEAN,
                           pdm_expr_type_to_string (PDM_EXPR_TYPE_BOOLEAN), error) ||
              !check_expr (form, question->constraint, constraint, question->index, question,
                           PDM_EXPR_TYPE_BOOLEAN,
                           pdm_expr_type_to_string (PDM_EXPR_TYPE_BOOLEAN), error) ||
              !check_expr (form, question->calculate, calculate, question->index, NULL,
                           type, pdm_expr_type_to_string (type), error))
            return FALSE;
        }
    }

  return TRUE;
}

/* --- loading: the form ------------------------------------------------- */

static gboolean
load_form (Loader      *loader,
           JsonNode    *root,
           GError     **error)
{
  PdmForm *form = loader->form;
  JsonObject *object;
  JsonArray *sections;
  JsonNode *version;
  gsize length;

  if ((object = get_object (loader, root, error)) == NULL ||
      !check_keys (loader, object, form_keys, error) ||
      !get_string (loader, object, "id", TRUE, &form->id, error))
    return FALSE;

  if (!is_identifier (form->id, TRUE))
    return fail_at_key (loader, "id", error,
                        _("“%s” is not a valid form id: it has only lowercase letters, digits, "
                          "“_” and “-”"),
                        form->id);

  version = json_object_get_member (object, "version");
  if (version == NULL)
    return fail (loader, error, _("the key “%s” is missing"), "version");
  if (!node_is (version, G_TYPE_INT64) || json_node_get_int (version) < 1)
    return fail_at_key (loader, "version", error, _("must be a whole number, 1 or more"));
  form->version = json_node_get_int (version);

  if (!get_string (loader, object, "title", TRUE, &form->title, error) ||
      !get_string (loader, object, "kind", TRUE, &form->kind, error) ||
      !get_string (loader, object, "description", FALSE, &form->description, error))
    return FALSE;

  if (!g_strv_contains (form_kinds, form->kind))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) form_kinds);

      return fail_at_key (loader, "kind", error, _("“%s” is not a kind of form; the kinds are %s"),
                          form->kind, known);
    }

  if (json_object_has_member (object, "$schema") &&
      !node_is (json_object_get_member (object, "$schema"), G_TYPE_STRING))
    return fail_at_key (loader, "$schema", error, _("must be a text in double quotes"));

  if (!load_scales (loader, object, error) ||
      (sections = get_array (loader, object, "sections", 1, error)) == NULL)
    return FALSE;

  length = path_push_key (loader, "sections");
  for (guint i = 0; i < json_array_get_length (sections); i++)
    {
      gsize section_length = path_push_index (loader, i);

      if (!load_section (loader, json_array_get_element (sections, i), error))
        return FALSE;
      path_pop (loader, section_length);
    }
  path_pop (loader, length);

  if (!get_number (loader, object, "pass_threshold", &form->pass_threshold, error))
    return FALSE;
  if (json_object_has_member (object, "pass_threshold"))
    {
      if (!(form->pass_threshold > 0 && form->pass_threshold <= 100))
        return fail_at_key (loader, "pass_threshold", error,
                            _("must be a percentage more than 0 and at most 100"));
      if (form->max_score == 0)
        return fail_at_key (loader, "pass_threshold", error,
                            _("a pass threshold needs questions with an answer key "
                              "(“correct”)"));
    }

  if (g_str_equal (form->kind, "test") && form->max_score == 0)
    return fail_at_key (loader, "kind", error,
                        _("a test needs at least one question with an answer key (“correct”)"));

  return check_expressions (form, error);
}

/**
 * pdm_form_new_from_json:
 * @root: the definition's JSON
 * @error: return location for a #GError
 *
 * Checks the whole definition and builds the form. Nothing of a definition
 * with a mistake is used: the error is PDM_ERROR_INVALID_DATA with the JSON
 * path of the first mistake and the reason.
 *
 * Returns: (transfer full): the form, or %NULL with @error set
 */
PdmForm *
pdm_form_new_from_json (JsonNode  *root,
                        GError   **error)
{
  g_autoptr(PdmForm) form = form_new ();
  Loader loader = { form, g_string_new ("$"), NULL };
  gboolean ok;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ok = load_form (&loader, root, error);
  g_string_free (loader.path, TRUE);

  return ok ? g_steal_pointer (&form) : NULL;
}

/**
 * pdm_form_new_from_string:
 * @text: the definition as JSON text
 * @length: the length of @text in bytes, or -1 if it ends with a NUL
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the form, or %NULL with @error set: see
 *   pdm_form_new_from_json()
 */
PdmForm *
pdm_form_new_from_string (const char  *text,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("The form definition is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  return pdm_form_new_from_json (json_parser_get_root (parser), error);
}

PdmForm *
pdm_form_new_from_bytes (GBytes  *bytes,
                         GError **error)
{
  gsize size;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  return pdm_form_new_from_string (data != NULL ? data : "", size, error);
}

/**
 * pdm_form_new_from_resource:
 * @path: a resource path, such as one of pdm_form_list_shipped()
 * @error: return location for a #GError
 *
 * Loads a definition from the core's resources or any registered one.
 *
 * Returns: (transfer full): the form, or %NULL with @error set
 */
PdmForm *
pdm_form_new_from_resource (const char  *path,
                            GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  /* The core's resources are not registered globally (a static library
   * keeps its constructors only when something refers to them). */
  bytes = g_resource_lookup_data (pdm_core_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  return pdm_form_new_from_bytes (bytes, error);
}

/**
 * pdm_form_list_shipped:
 *
 * The forms that come with Pendamping (the files of data/forms), for a new
 * database to start with.
 *
 * Returns: (transfer full) (array zero-terminated=1): their resource paths,
 *   sorted
 */
char **
pdm_form_list_shipped (void)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  names = g_resource_enumerate_children (pdm_core_get_resource (), PDM_FORM_RESOURCE_PATH "/",
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".json"))
      g_ptr_array_add (paths, g_strconcat (PDM_FORM_RESOURCE_PATH "/", names[i], NULL));

  g_ptr_array_sort (paths, pdm_compare_strings_indirect);
  g_ptr_array_add (paths, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

/**
 * pdm_form_load_shipped:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type PdmForm): the shipped forms in the
 *   order of pdm_form_list_shipped(), or %NULL with @error set
 */
GPtrArray *
pdm_form_load_shipped (GError **error)
{
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_form_unref);
  g_auto(GStrv) paths = pdm_form_list_shipped ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      PdmForm *form = pdm_form_new_from_resource (paths[i], error);

      if (form == NULL)
        {
          g_prefix_error (error, "%s: ", paths[i]);
          return NULL;
        }
      g_ptr_array_add (forms, form);
    }

  return g_steal_pointer (&forms);
}

/* --- accessors --------------------------------------------------------- */

/**
 * pdm_form_get_id:
 * @form: a #PdmForm
 *
 * Returns: the stable key of the form, such as "psm-basic-pretest"; with
 *   pdm_form_get_version() it names one definition
 */
const char *
pdm_form_get_id (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);

  return form->id;
}

gint64
pdm_form_get_version (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, 0);

  return form->version;
}

const char *
pdm_form_get_title (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);

  return form->title;
}

/**
 * pdm_form_get_kind:
 * @form: a #PdmForm
 *
 * Returns: "test", "evaluation" or "survey"
 */
const char *
pdm_form_get_kind (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);

  return form->kind;
}

/**
 * pdm_form_get_description:
 * @form: a #PdmForm
 *
 * Returns: (nullable): the form's introduction
 */
const char *
pdm_form_get_description (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);

  return form->description;
}

gboolean
pdm_form_has_pass_threshold (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, FALSE);

  return !isnan (form->pass_threshold);
}

/**
 * pdm_form_get_pass_threshold:
 * @form: a #PdmForm
 *
 * Returns: the percentage of the maximum score that passes, or NAN when the
 *   form has none
 */
double
pdm_form_get_pass_threshold (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, NAN);

  return form->pass_threshold;
}

/**
 * pdm_form_is_scored:
 * @form: a #PdmForm
 *
 * Returns: whether some question has an answer key, so pdm_form_score()
 *   gives a score
 */
gboolean
pdm_form_is_scored (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, FALSE);

  return form->max_score > 0;
}

/**
 * pdm_form_get_max_score:
 * @form: a #PdmForm
 *
 * Returns: the points of all questions with an answer key; the maximum of
 *   one response can be less when skip logic hides some (pdm_form_score())
 */
double
pdm_form_get_max_score (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, 0);

  return form->max_score;
}

guint
pdm_form_get_n_sections (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, 0);

  return form->sections->len;
}

/**
 * pdm_form_get_section:
 * @form: a #PdmForm
 * @index: less than pdm_form_get_n_sections()
 *
 * Returns: (transfer none): the section
 */
PdmFormSection *
pdm_form_get_section (PdmForm *form,
                      guint    index)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (index < form->sections->len, NULL);

  return g_ptr_array_index (form->sections, index);
}

guint
pdm_form_get_n_questions (PdmForm *form)
{
  g_return_val_if_fail (form != NULL, 0);

  return form->questions->len;
}

/**
 * pdm_form_get_question:
 * @form: a #PdmForm
 * @index: less than pdm_form_get_n_questions()
 *
 * Questions are numbered through the whole form, in the order shown.
 *
 * Returns: (transfer none): the question
 */
PdmFormQuestion *
pdm_form_get_question (PdmForm *form,
                       guint    index)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (index < form->questions->len, NULL);

  return g_ptr_array_index (form->questions, index);
}

/**
 * pdm_form_lookup_question:
 * @form: a #PdmForm
 * @id: a question id
 *
 * Returns: (transfer none) (nullable): the question, or %NULL
 */
PdmFormQuestion *
pdm_form_lookup_question (PdmForm    *form,
                          const char *id)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (form->questions_by_id, id);
}

const char *
pdm_form_section_get_id (PdmFormSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);

  return section->id;
}

const char *
pdm_form_section_get_title (PdmFormSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);

  return section->title;
}

/**
 * pdm_form_section_get_description:
 * @section: a #PdmFormSection
 *
 * Returns: (nullable): the section's introduction
 */
const char *
pdm_form_section_get_description (PdmFormSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);

  return section->description;
}

/**
 * pdm_form_section_get_relevant:
 * @section: a #PdmFormSection
 *
 * Returns: (transfer none) (nullable): when the section is shown, or %NULL
 *   for always
 */
PdmExpr *
pdm_form_section_get_relevant (PdmFormSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);

  return section->relevant;
}

guint
pdm_form_section_get_n_questions (PdmFormSection *section)
{
  g_return_val_if_fail (section != NULL, 0);

  return section->n;
}

/**
 * pdm_form_section_get_question:
 * @section: a #PdmFormSection
 * @index: less than pdm_form_section_get_n_questions()
 *
 * Returns: (transfer none): the question
 */
PdmFormQuestion *
pdm_form_section_get_question (PdmFormSection *section,
                               guint           index)
{
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (index < section->n, NULL);

  return g_ptr_array_index (section->form->questions, section->first + index);
}

const char *
pdm_form_question_get_id (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->id;
}

PdmQuestionType
pdm_form_question_get_question_type (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, PDM_QUESTION_SHORT_TEXT);

  return question->type;
}

const char *
pdm_form_question_get_label (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->label;
}

/**
 * pdm_form_question_get_hint:
 * @question: a #PdmFormQuestion
 *
 * Returns: (nullable): a line of help under the question
 */
const char *
pdm_form_question_get_hint (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->hint;
}

gboolean
pdm_form_question_get_required (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, FALSE);

  return question->required;
}

/**
 * pdm_form_question_get_index:
 * @question: a #PdmFormQuestion
 *
 * Returns: the question's place in the whole form, from 0
 */
guint
pdm_form_question_get_index (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, 0);

  return question->index;
}

/**
 * pdm_form_question_get_section:
 * @question: a #PdmFormQuestion
 *
 * Returns: (transfer none): the section the question is in
 */
PdmFormSection *
pdm_form_question_get_section (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->section;
}

/**
 * pdm_form_question_get_options:
 * @question: a #PdmFormQuestion
 * @n_options: (out): the number of options
 *
 * Returns: (array length=n_options) (transfer none): the options of a
 *   choice question or the points of a Likert scale in the form's order
 *   (for 4..1, "Sangat Baik" first); none for other types
 */
const PdmFormOption *
pdm_form_question_get_options (PdmFormQuestion *question,
                               guint           *n_options)
{
  g_return_val_if_fail (question != NULL, NULL);
  g_return_val_if_fail (n_options != NULL, NULL);

  *n_options = question->n_options;
  return question->options;
}

/**
 * pdm_form_question_find_option:
 * @question: a #PdmFormQuestion
 * @value: (nullable): an answer: an option's value, or a scale point's number
 *
 * Returns: (nullable): the option or scale point @value is, to show its
 *   label, or %NULL
 */
const PdmFormOption *
pdm_form_question_find_option (PdmFormQuestion *question,
                               JsonNode        *value)
{
  g_return_val_if_fail (question != NULL, NULL);

  if (value == NULL)
    return NULL;

  for (guint i = 0; i < question->n_options; i++)
    {
      PdmFormOption *option = &question->options[i];

      if (question->type == PDM_QUESTION_LIKERT
          ? node_is_number (value) && json_node_get_double (value) == option->number
          : node_is (value, G_TYPE_STRING) && g_str_equal (json_node_get_string (value),
                                                          option->value))
        return option;
    }

  return NULL;
}

/**
 * pdm_form_question_get_scale_name:
 * @question: a #PdmFormQuestion
 *
 * Returns: (nullable): the name of the form's scale a Likert question uses,
 *   or %NULL for an inline scale; questions in a row with the same name can
 *   be shown as one grid
 */
const char *
pdm_form_question_get_scale_name (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->scale_name;
}

/**
 * pdm_form_question_get_min:
 * @question: a #PdmFormQuestion
 *
 * Returns: the smallest number allowed, or -INFINITY
 */
double
pdm_form_question_get_min (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, -INFINITY);

  return question->min;
}

/**
 * pdm_form_question_get_max:
 * @question: a #PdmFormQuestion
 *
 * Returns: the largest number allowed, or INFINITY
 */
double
pdm_form_question_get_max (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, INFINITY);

  return question->max;
}

gboolean
pdm_form_question_get_integer (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, FALSE);

  return question->integer;
}

/**
 * pdm_form_question_get_relevant:
 * @question: a #PdmFormQuestion
 *
 * Returns: (transfer none) (nullable): when the question is shown, or %NULL
 *   for always (within its section); use pdm_form_question_is_relevant()
 */
PdmExpr *
pdm_form_question_get_relevant (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->relevant;
}

/**
 * pdm_form_question_get_constraint:
 * @question: a #PdmFormQuestion
 *
 * Returns: (transfer none) (nullable): the rule an answer must meet
 */
PdmExpr *
pdm_form_question_get_constraint (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->constraint;
}

/**
 * pdm_form_question_get_constraint_message:
 * @question: a #PdmFormQuestion
 *
 * Returns: (nullable): what the form says when the constraint fails
 */
const char *
pdm_form_question_get_constraint_message (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->constraint_message;
}

/**
 * pdm_form_question_get_calculate:
 * @question: a #PdmFormQuestion
 *
 * Returns: (transfer none) (nullable): the calculation of a read-only
 *   question
 */
PdmExpr *
pdm_form_question_get_calculate (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->calculate;
}

/**
 * pdm_form_question_is_calculated:
 * @question: a #PdmFormQuestion
 *
 * Returns: whether the question shows a calculated value and takes no input
 */
gboolean
pdm_form_question_is_calculated (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, FALSE);

  return question->calculate != NULL;
}

gboolean
pdm_form_question_is_scored (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, FALSE);

  return question->correct != NULL;
}

/**
 * pdm_form_question_get_correct:
 * @question: a #PdmFormQuestion
 *
 * Returns: (transfer none) (nullable): the answer key, shaped like an
 *   answer, or %NULL
 */
JsonNode *
pdm_form_question_get_correct (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->correct;
}

/**
 * pdm_form_question_get_points:
 * @question: a #PdmFormQuestion
 *
 * Returns: what a right answer is worth (1 unless the form says), 0 for a
 *   question without an answer key
 */
double
pdm_form_question_get_points (PdmFormQuestion *question)
{
  g_return_val_if_fail (question != NULL, 0);

  return question->correct != NULL ? question->points : 0;
}

/**
 * pdm_form_question_is_correct:
 * @question: a #PdmFormQuestion
 * @answer: (nullable): an answer to it
 *
 * A multiple-choice answer is right when it chooses exactly the options of
 * the key, in any order: no partial points.
 *
 * Returns: whether @answer matches the answer key
 */
gboolean
pdm_form_question_is_correct (PdmFormQuestion *question,
                              JsonNode        *answer)
{
  g_return_val_if_fail (question != NULL, FALSE);

  if (question->correct == NULL || answer == NULL || JSON_NODE_HOLDS_NULL (answer))
    return FALSE;

  switch (question->type)
    {
    case PDM_QUESTION_SINGLE_CHOICE:
      return node_is (answer, G_TYPE_STRING) &&
             g_str_equal (json_node_get_string (answer), json_node_get_string (question->correct));

    case PDM_QUESTION_MULTIPLE_CHOICE:
      {
        JsonArray *key = json_node_get_array (question->correct);
        JsonArray *chosen;
        guint n;

        if (!JSON_NODE_HOLDS_ARRAY (answer))
          return FALSE;
        chosen = json_node_get_array (answer);
        n = json_array_get_length (chosen);

        /* The key has no duplicates; the same number of distinct options,
         * all of them in the key, is the same set. */
        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (chosen, i);
            gboolean found = FALSE;

            if (!node_is (element, G_TYPE_STRING))
              return FALSE;
            for (guint j = 0; j < i; j++)
              if (g_str_equal (json_array_get_string_element (chosen, j),
                               json_node_get_string (element)))
                return FALSE;
            for (guint j = 0; j < json_array_get_length (key) && !found; j++)
              found = g_str_equal (json_array_get_string_element (key, j),
                                   json_node_get_string (element));
            if (!found)
              return FALSE;
          }
        return n == json_array_get_length (key);
      }

    case PDM_QUESTION_YES_NO:
      return node_is (answer, G_TYPE_BOOLEAN) &&
             !json_node_get_boolean (answer) == !json_node_get_boolean (question->correct);

    case PDM_QUESTION_NUMBER:
      {
        double a, b;

        if (!node_is_number (answer))
          return FALSE;
        a = json_node_get_double (answer);
        b = json_node_get_double (question->correct);
        return fabs (a - b) <= NUMBER_EPSILON * MAX (1.0, MAX (fabs (a), fabs (b)));
      }

    default:
      return FALSE;
    }
}

/* --- answers ----------------------------------------------------------- */

PdmFormProblem *
pdm_form_problem_new (const char *question_id,
                      const char *message)
{
  PdmFormProblem *problem;

  g_return_val_if_fail (question_id != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  problem = g_new0 (PdmFormProblem, 1);
  problem->question_id = g_strdup (question_id);
  problem->message = g_strdup (message);

  return problem;
}

PdmFormProblem *
pdm_form_problem_copy (const PdmFormProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  return pdm_form_problem_new (problem->question_id, problem->message);
}

void
pdm_form_problem_free (PdmFormProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->question_id);
  g_free (problem->message);
  g_free (problem);
}

/**
 * pdm_form_answers_new_from_string:
 * @text: answers as JSON text, as pdm_form_answers_to_string() writes them
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the answers, or %NULL with @error set
 *   (PDM_ERROR_INVALID_DATA)
 */
JsonObject *
pdm_form_answers_new_from_string (const char  *text,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("The answers are not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                           _("The answers are not a JSON object of question ids and answers"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* The shortest text that reads back as the same double: 3.33, not json-glib's
 * 3.3300000000000001. */
static void
append_double (GString *out,
               double   number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (number))
    {
      g_string_append (out, "null");
      return;
    }

  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, number);
      if (digits == 17 || g_ascii_strtod (buffer, NULL) == number)
        break;
    }
  g_string_append (out, buffer);
}

static void
append_json (GString  *out,
             JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = NULL;

      members = g_list_sort (json_object_get_members (object), (GCompareFunc) strcmp);
      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
          g_autofree char *key_text = json_to_string (key, FALSE);

          if (l != members)
            g_string_append_c (out, ',');
          g_string_append_printf (out, "%s:", key_text);
          append_json (out, json_object_get_member (object, l->data));
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else if (node_is (node, G_TYPE_DOUBLE))
    {
      append_double (out, json_node_get_double (node));
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

/**
 * pdm_form_answers_to_string:
 * @answers: the answers
 *
 * Writes compact JSON with the question ids in sorted order and numbers in
 * their shortest form, so that the same answers always give the same text.
 *
 * Returns: (transfer full): the JSON text
 */
char *
pdm_form_answers_to_string (JsonObject *answers)
{
  g_autoptr(JsonNode) root = NULL;
  GString *out;

  g_return_val_if_fail (answers != NULL, NULL);

  root = json_node_init_object (json_node_alloc (), answers);
  out = g_string_new (NULL);
  append_json (out, root);

  return g_string_free (out, FALSE);
}

/**
 * pdm_form_answer_is_empty:
 * @answer: (nullable): an answer
 *
 * Returns: whether @answer means "not answered": %NULL, null, a text of
 *   only spaces or an empty list
 */
gboolean
pdm_form_answer_is_empty (JsonNode *answer)
{
  if (answer == NULL || JSON_NODE_HOLDS_NULL (answer))
    return TRUE;

  if (node_is (answer, G_TYPE_STRING))
    {
      for (const char *p = json_node_get_string (answer); *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          return FALSE;
      return TRUE;
    }

  return JSON_NODE_HOLDS_ARRAY (answer) && json_array_get_length (json_node_get_array (answer)) == 0;
}

/* Whether @answer has the JSON shape of an answer to @question (not whether
 * it is allowed: an option value that does not exist still fits). */
static gboolean
answer_fits (PdmFormQuestion *question,
             JsonNode        *answer)
{
  switch (question->type)
    {
    case PDM_QUESTION_MULTIPLE_CHOICE:
      {
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (answer))
          return FALSE;
        array = json_node_get_array (answer);
        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!node_is (json_array_get_element (array, i), G_TYPE_STRING))
            return FALSE;
        return TRUE;
      }
    case PDM_QUESTION_LIKERT:
    case PDM_QUESTION_NUMBER:
      return node_is_number (answer);
    case PDM_QUESTION_YES_NO:
      return node_is (answer, G_TYPE_BOOLEAN);
    case PDM_QUESTION_SINGLE_CHOICE:
    case PDM_QUESTION_SHORT_TEXT:
    case PDM_QUESTION_LONG_TEXT:
    case PDM_QUESTION_DATE:
    default:
      return node_is (answer, G_TYPE_STRING);
    }
}

/* --- evaluation -------------------------------------------------------- */

typedef struct
{
  PdmForm          *form;
  JsonObject       *answers;
  /* questions evaluated so far */
  guint             n_done;
  gboolean         *section_relevant;
  gboolean         *relevant;
  /* what each question's answer is for the expressions after it: NULL when
   * not relevant, not answered or malformed */
  JsonNode        **values;
  /* the calculated values, owned */
  JsonNode        **computed;
  /* the question whose constraint is evaluated, for "." */
  PdmFormQuestion  *self;
} State;

static void
state_init (State      *state,
            PdmForm    *form,
            JsonObject *answers)
{
  guint n = form->questions->len;

  memset (state, 0, sizeof *state);
  state->form = form;
  state->answers = answers;
  state->section_relevant = g_new0 (gboolean, form->sections->len);
  state->relevant = g_new0 (gboolean, n);
  state->values = g_new0 (JsonNode *, n);
  state->computed = g_new0 (JsonNode *, n);
}

static void
state_clear (State *state)
{
  for (guint i = 0; i < state->form->questions->len; i++)
    g_clear_pointer (&state->computed[i], json_node_unref);
  g_free (state->computed);
  g_free (state->values);
  g_free (state->relevant);
  g_free (state->section_relevant);
}

static JsonNode *
state_lookup (const char *id,
              gpointer    user_data)
{
  State *state = user_data;
  PdmFormQuestion *question;

  if (g_str_equal (id, PDM_EXPR_SELF))
    question = state->self;
  else
    question = g_hash_table_lookup (state->form->questions_by_id, id);

  if (question == NULL || question->index >= state->n_done)
    return NULL;

  return state->values[question->index];
}

/* Whether a condition holds, @on_null when it is unknown (null). An
 * expression that fails at evaluation despite the check at load (an if()
 * mixing types) gives @on_error, and the reason goes to the debug log. */
static gboolean
state_condition (State    *state,
                 PdmExpr  *expr,
                 gboolean  on_null,
                 gboolean  on_error)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  value = pdm_expr_evaluate (expr, state_lookup, state, &error);
  if (value == NULL)
    {
      g_debug ("Form %s: “%s” failed: %s", state->form->id, pdm_expr_get_text (expr),
               error->message);
      return on_error;
    }

  if (JSON_NODE_HOLDS_NULL (value))
    return on_null;

  return node_is (value, G_TYPE_BOOLEAN) ? json_node_get_boolean (value) : on_error;
}

static void
state_run (State *state,
           guint  until)
{
  for (guint i = state->n_done; i < until; i++)
    {
      PdmFormQuestion *question = g_ptr_array_index (state->form->questions, i);
      PdmFormSection *section = question->section;

      /* Unknown is not relevant (a question about a child's school is
       * not asked until "has children" is answered); broken is shown. */
      if (i == section->first)
        state->section_relevant[section->index] =
          section->relevant == NULL || state_condition (state, section->relevant, FALSE, TRUE);

      state->relevant[i] = state->section_relevant[section->index] &&
                           (question->relevant == NULL ||
                            state_condition (state, question->relevant, FALSE, TRUE));

      if (state->relevant[i] && question->calculate != NULL)
        {
          g_autoptr(GError) error = NULL;
          JsonNode *value = pdm_expr_evaluate (question->calculate, state_lookup, state, &error);

          if (value == NULL)
            g_debug ("Form %s: “%s” failed: %s", state->form->id,
                     pdm_expr_get_text (question->calculate), error->message);
          else if (!JSON_NODE_HOLDS_NULL (value))
            state->values[i] = state->computed[i] = g_steal_pointer (&value);
          g_clear_pointer (&value, json_node_unref);
        }
      else if (state->relevant[i])
        {
          JsonNode *answer = json_object_get_member (state->answers, question->id);

          if (!pdm_form_answer_is_empty (answer) && answer_fits (question, answer))
            state->values[i] = answer;
        }

      state->n_done = i + 1;
    }
}

/**
 * pdm_form_section_is_relevant:
 * @form: a #PdmForm
 * @section: one of its sections
 * @answers: the answers so far
 *
 * Returns: whether the section is shown with these answers
 */
gboolean
pdm_form_section_is_relevant (PdmForm        *form,
                              PdmFormSection *section,
                              JsonObject     *answers)
{
  State state;
  gboolean relevant;

  g_return_val_if_fail (form != NULL, FALSE);
  g_return_val_if_fail (section != NULL && section->form == form, FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  state_init (&state, form, answers);
  state_run (&state, section->first + 1);
  relevant = state.section_relevant[section->index];
  state_clear (&state);

  return relevant;
}

/**
 * pdm_form_question_is_relevant:
 * @form: a #PdmForm
 * @question: one of its questions
 * @answers: the answers so far
 *
 * Skip logic: a question is shown when its section's "relevant" and its own
 * hold. Answers to questions that are not relevant count as not given in
 * every expression, so a stale answer of a skipped question steers nothing.
 * An expression that cannot be evaluated shows the question (it is safer to
 * ask too much than to hide a question).
 *
 * Returns: whether @question is shown with these answers
 */
gboolean
pdm_form_question_is_relevant (PdmForm         *form,
                               PdmFormQuestion *question,
                               JsonObject      *answers)
{
  State state;
  gboolean relevant;

  g_return_val_if_fail (form != NULL, FALSE);
  g_return_val_if_fail (question != NULL && question->section->form == form, FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  state_init (&state, form, answers);
  state_run (&state, question->index + 1);
  relevant = state.relevant[question->index];
  state_clear (&state);

  return relevant;
}

/**
 * pdm_form_compute:
 * @form: a #PdmForm
 * @answers: the answers as typed in
 *
 * The answers as they count: calculated questions carry their value,
 * questions that are not relevant and keys that are no question of the form
 * are left out. This is what to show in calculated fields and what to store
 * when a response is submitted.
 *
 * Returns: (transfer full): a new answers object
 */
JsonObject *
pdm_form_compute (PdmForm    *form,
                  JsonObject *answers)
{
  JsonObject *computed;
  State state;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (answers != NULL, NULL);

  computed = json_object_new ();
  state_init (&state, form, answers);
  state_run (&state, form->questions->len);

  for (guint i = 0; i < form->questions->len; i++)
    {
      PdmFormQuestion *question = g_ptr_array_index (form->questions, i);
      JsonNode *answer;

      if (!state.relevant[i])
        continue;

      /* A malformed answer is kept as it is, for validation to name. */
      answer = question->calculate != NULL ? state.values[i]
                                           : json_object_get_member (answers, question->id);
      if (!pdm_form_answer_is_empty (answer))
        json_object_set_member (computed, question->id, json_node_copy (answer));
    }

  state_clear (&state);
  return computed;
}

static char *
check_number (PdmFormQuestion *question,
              double           number)
{
  g_autofree char *min = format_number (question->min);
  g_autofree char *max = format_number (question->max);

  if (question->integer && number != floor (number))
    return g_strdup (_("The answer must be a whole number"));

  if (number >= question->min && number <= question->max)
    return NULL;

  if (isfinite (question->min) && isfinite (question->max))
    return g_strdup_printf (_("The number must be between %s and %s"), min, max);
  if (isfinite (question->min))
    return g_strdup_printf (_("The number must be at least %s"), min);

  return g_strdup_printf (_("The number must be at most %s"), max);
}

static gboolean
is_iso_date (const char *text)
{
  guint year, month, day;
  char end;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3)
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  return g_date_valid_dmy (day, month, year);
}

/* What is wrong with a given answer to a relevant question, or NULL. */
static char *
check_answer (State           *state,
              PdmFormQuestion *question,
              JsonNode        *answer)
{
  switch (question->type)
    {
    case PDM_QUESTION_SINGLE_CHOICE:
      if (!answer_fits (question, answer))
        return g_strdup (_("The answer must be one of the options"));
      if (!g_strv_contains ((const char * const *) question->option_values,
                            json_node_get_string (answer)))
        return g_strdup_printf (_("“%s” is not one of the options"),
                                json_node_get_string (answer));
      break;

    case PDM_QUESTION_MULTIPLE_CHOICE:
      {
        JsonArray *array;

        if (!answer_fits (question, answer))
          return g_strdup (_("The answer must be a list of options"));
        array = json_node_get_array (answer);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            const char *value = json_array_get_string_element (array, i);

            if (!g_strv_contains ((const char * const *) question->option_values, value))
              return g_strdup_printf (_("“%s” is not one of the options"), value);
            for (guint j = 0; j < i; j++)
              if (g_str_equal (json_array_get_string_element (array, j), value))
                return g_strdup_printf (_("“%s” is chosen more than once"), value);
          }
      }
      break;

    case PDM_QUESTION_LIKERT:
      if (!answer_fits (question, answer))
        return g_strdup (_("The answer must be a point of the scale"));
      if (pdm_form_question_find_option (question, answer) == NULL)
        {
          g_autofree char *number = format_number (json_node_get_double (answer));

          return g_strdup_printf (_("%s is not a point of the scale"), number);
        }
      break;

    case PDM_QUESTION_YES_NO:
      if (!answer_fits (question, answer))
        return g_strdup (_("The answer must be yes or no"));
      break;

    case PDM_QUESTION_SHORT_TEXT:
    case PDM_QUESTION_LONG_TEXT:
      if (!answer_fits (question, answer))
        return g_strdup (_("The answer must be a text"));
      break;

    case PDM_QUESTION_NUMBER:
      {
        char *problem;

        if (!answer_fits (question, answer))
          return g_strdup (_("The answer must be a number"));
        if ((problem = check_number (question, json_node_get_double (answer))) != NULL)
          return problem;
      }
      break;

    case PDM_QUESTION_DATE:
      if (!answer_fits (question, answer))
        return g_strdup (_("The answer must be a date"));
      if (!is_iso_date (json_node_get_string (answer)))
        return g_strdup_printf (_("“%s” is not a date written as YYYY-MM-DD"),
                                json_node_get_string (answer));
      break;

    default:
      g_assert_not_reached ();
    }

  if (question->constraint != NULL)
    {
      gboolean holds;

      /* Only a definite false fails: an unknown (null) result passes, so a
       * rule about another, unanswered question does not block this one. */
      state->self = question;
      holds = state_condition (state, question->constraint, TRUE, TRUE);
      state->self = NULL;
      if (!holds)
        return g_strdup (question->constraint_message != NULL
                         ? question->constraint_message
                         : _("The answer does not meet the rule of this question"));
    }

  return NULL;
}

/**
 * pdm_form_validate_answers:
 * @form: a #PdmForm
 * @answers: the answers
 * @problems: (out) (optional) (transfer full) (element-type PdmFormProblem):
 *   what is wrong, in the form's order
 *
 * Checks the answers as a submit would: required answers given, values
 * of the right kind, options that exist, numbers within bounds, dates real,
 * constraints met. Questions that are not relevant and calculated ones are
 * not checked; a key that is no question of the form is a problem of its
 * own. Each question gets at most one problem.
 *
 * Returns: whether the answers can be submitted
 */
gboolean
pdm_form_validate_answers (PdmForm     *form,
                           JsonObject  *answers,
                           GPtrArray  **problems)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GList) members = NULL;
  gboolean ok;
  State state;

  g_return_val_if_fail (form != NULL, FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_form_problem_free);
  state_init (&state, form, answers);
  state_run (&state, form->questions->len);

  for (guint i = 0; i < form->questions->len; i++)
    {
      PdmFormQuestion *question = g_ptr_array_index (form->questions, i);
      JsonNode *answer = json_object_get_member (answers, question->id);
      g_autofree char *message = NULL;

      if (!state.relevant[i] || question->calculate != NULL)
        continue;

      if (pdm_form_answer_is_empty (answer))
        {
          if (question->required)
            g_ptr_array_add (found, pdm_form_problem_new (question->id,
                                                          _("An answer is required")));
          continue;
        }

      message = check_answer (&state, question, answer);
      if (message != NULL)
        g_ptr_array_add (found, pdm_form_problem_new (question->id, message));
    }

  members = json_object_get_members (answers);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_hash_table_contains (form->questions_by_id, l->data))
      {
        g_autofree char *message = g_strdup_printf (_("This form has no question “%s”"),
                                                    (const char *) l->data);

        g_ptr_array_add (found, pdm_form_problem_new (l->data, message));
      }

  state_clear (&state);

  ok = found->len == 0;
  if (problems != NULL)
    *problems = g_steal_pointer (&found);

  return ok;
}

/* --- scoring ----------------------------------------------------------- */

/**
 * pdm_form_score:
 * @form: a #PdmForm
 * @answers: the answers
 * @out_score: (out) (optional): the points of the right answers
 * @out_max: (out) (optional): the points of the questions with an answer
 *   key that are relevant with these answers
 *
 * A question skipped by skip logic counts neither way. Unanswered counts
 * as wrong.
 *
 * Returns: %FALSE when the form has no answer key (not a test)
 */
gboolean
pdm_form_score (PdmForm    *form,
                JsonObject *answers,
                double     *out_score,
                double     *out_max)
{
  double score = 0, max = 0;
  State state;

  g_return_val_if_fail (form != NULL, FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  if (form->max_score > 0)
    {
      state_init (&state, form, answers);
      state_run (&state, form->questions->len);

      for (guint i = 0; i < form->questions->len; i++)
        {
          PdmFormQuestion *question = g_ptr_array_index (form->questions, i);

          if (question->correct == NULL || !state.relevant[i])
            continue;

          max += question->points;
          if (pdm_form_question_is_correct (question, state.values[i]))
            score += question->points;
        }

      state_clear (&state);
    }

  if (out_score != NULL)
    *out_score = score;
  if (out_max != NULL)
    *out_max = max;

  return form->max_score > 0;
}

/**
 * pdm_score_percent:
 * @score: points scored
 * @max: points possible
 *
 * Returns: @score as a percentage of @max, or NAN when @max is not more
 *   than 0
 */
double
pdm_score_percent (double score,
                   double max)
{
  if (!(max > 0) || isnan (score))
    return NAN;

  return 100 * score / max;
}

/**
 * pdm_form_passes:
 * @form: a #PdmForm
 * @percent: a score as pdm_score_percent() gives it
 *
 * Returns: whether @percent reaches the form's pass threshold; %FALSE for a
 *   form without one or an undefined percentage
 */
gboolean
pdm_form_passes (PdmForm *form,
                 double   percent)
{
  g_return_val_if_fail (form != NULL, FALSE);

  if (isnan (form->pass_threshold) || isnan (percent))
    return FALSE;

  /* 14 of 20 is 70% exactly, whatever the rounding of 100 * 14 / 20. */
  return percent >= form->pass_threshold - 1e-9;
}

/**
 * pdm_gain_absolute:
 * @pre: the pre-test score
 * @post: the post-test score
 *
 * Returns: @post − @pre, in the same unit (points or percent)
 */
double
pdm_gain_absolute (double pre,
                   double post)
{
  return post - pre;
}

/**
 * pdm_gain_normalized:
 * @pre: the pre-test score
 * @post: the post-test score
 * @max: the highest possible score, in the unit of @pre and @post (100 for
 *   percentages)
 *
 * Hake's normalized gain, (post − pre) / (max − pre): the part of the room
 * to improve that was used. It is negative when the post-test is worse.
 * It is undefined (NAN) when there was no room (pre = max: a participant
 * who knew everything), when @max is not more than 0, or when a score is
 * outside 0..@max; reports show it as "—" (pdm_gain_format()) and leave it
 * out of averages.
 *
 * Returns: the gain, or NAN
 */
double
pdm_gain_normalized (double pre,
                     double post,
                     double max)
{
  if (!(max > 0) || !(pre >= 0 && pre <= max) || !(post >= 0 && post <= max) || pre == max)
    return NAN;

  return (post - pre) / (max - pre);
}

/**
 * pdm_gain_categorize:
 * @gain: a normalized gain
 *
 * Returns: Hake's category: high from 0.7, medium from 0.3, low below,
 *   and a loss below 0
 */
PdmGainCategory
pdm_gain_categorize (double gain)
{
  if (isnan (gain))
    return PDM_GAIN_UNDEFINED;
  if (gain < 0)
    return PDM_GAIN_LOSS;
  if (gain < 0.3)
    return PDM_GAIN_LOW;
  if (gain < 0.7)
    return PDM_GAIN_MEDIUM;

  return PDM_GAIN_HIGH;
}

/**
 * pdm_gain_category_to_string:
 * @category: a #PdmGainCategory
 *
 * Returns: the category as a report shows it ("high" is "tinggi")
 */
const char *
pdm_gain_category_to_string (PdmGainCategory category)
{
  switch (category)
    {
    case PDM_GAIN_UNDEFINED:
      return "—";
    case PDM_GAIN_LOSS:
      return C_("normalized gain", "decline");
    case PDM_GAIN_LOW:
      return C_("normalized gain", "low");
    case PDM_GAIN_MEDIUM:
      return C_("normalized gain", "medium");
    case PDM_GAIN_HIGH:
      return C_("normalized gain", "high");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pdm_gain_format:
 * @gain: a normalized gain
 *
 * Returns: (transfer full): the gain with two decimals in the locale's
 *   notation ("0,45" in Indonesian), or "—" when it is undefined
 */
char *
pdm_gain_format (double gain)
{
  if (isnan (gain))
    return g_strdup ("—");

  return g_strdup_printf ("%.2f", gain);
}
