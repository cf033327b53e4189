/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-expr"

#include "config.h"

#include <string.h>

#include "pdm-error.h"
#include "pdm-expr.h"

/* Answers of a small imaginary form: q_age (number), q_sex (single choice,
 * options "l" and "p"), q_aid (multiple choice, options "pkh", "bpnt",
 * "pbi"), q_ok (yes/no), q_name (text), q_date (date). */
static const char * const sex_options[] = { "l", "p", NULL };
static const char * const aid_options[] = { "pkh", "bpnt", "pbi", NULL };

static JsonObject *
parse_answers (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonNode *
lookup_answer (const char *id,
               gpointer    user_data)
{
  JsonObject *answers = user_data;

  if (g_str_equal (id, PDM_EXPR_SELF))
    id = "self";

  return json_object_get_member (answers, id);
}

static gboolean
resolve_sample (const char          *id,
                PdmExprType         *out_type,
                const char * const **out_options,
                gpointer             user_data,
                GError             **error)
{
  *out_options = NULL;

  if (g_str_equal (id, "q_age") || g_str_equal (id, PDM_EXPR_SELF))
    *out_type = PDM_EXPR_TYPE_NUMBER;
  else if (g_str_equal (id, "q_sex"))
    {
      *out_type = PDM_EXPR_TYPE_STRING;
      *out_options = sex_options;
    }
  else if (g_str_equal (id, "q_aid"))
    {
      *out_type = PDM_EXPR_TYPE_LIST;
      *out_options = aid_options;
    }
  else if (g_str_equal (id, "q_ok"))
    *out_type = PDM_EXPR_TYPE_BOOLEAN;
  else if (g_str_equal (id, "q_name") || g_str_equal (id, "q_date"))
    *out_type = PDM_EXPR_TYPE_STRING;
  else
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_EXPRESSION, "no question “%s”", id);
      return FALSE;
    }

  return TRUE;
}

/* Parses, checks against the sample questions and evaluates. */
static JsonNode *
evaluate (const char *text,
          const char *answers_json)
{
  g_autoptr(JsonObject) answers = parse_answers (answers_json);
  g_autoptr(PdmExpr) expr = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *value;

  expr = pdm_expr_parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdm_expr_check (expr, resolve_sample, NULL, &error), !=, 0);
  g_assert_no_error (error);

  value = pdm_expr_evaluate (expr, lookup_answer, answers, &error);
  g_assert_no_error (error);
  g_assert_nonnull (value);

  return value;
}

static void
assert_number (const char *text,
               const char *answers,
               double      expected)
{
  g_autoptr(JsonNode) value = evaluate (text, answers);

  if (!JSON_NODE_HOLDS_VALUE (value) ||
      (json_node_get_value_type (value) != G_TYPE_INT64 &&
       json_node_get_value_type (value) != G_TYPE_DOUBLE))
    g_error ("“%s” did not give a number", text);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (value), expected, 1e-9);
}

static void
assert_boolean (const char *text,
                const char *answers,
                gboolean    expected)
{
  g_autoptr(JsonNode) value = evaluate (text, answers);

  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
    g_error ("“%s” did not give true or false", text);
  if (!json_node_get_boolean (value) != !expected)
    g_error ("“%s” gave %s", text, expected ? "false" : "true");
}

static void
assert_null (const char *text,
             const char *answers)
{
  g_autoptr(JsonNode) value = evaluate (text, answers);

  if (!JSON_NODE_HOLDS_NULL (value))
    g_error ("“%s” is not null", text);
}

static void
assert_message (const GError *error,
                const char   *expected)
{
  g_assert_nonnull (error);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_EXPRESSION);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
}

static void
assert_parse_error (const char *text,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmExpr) expr = pdm_expr_parse (text, &error);

  g_assert_null (expr);
  assert_message (error, expected);
}

static void
assert_check_error (const char *text,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmExpr) expr = pdm_expr_parse (text, &error);

  g_assert_no_error (error);
  g_assert_cmpint (pdm_expr_check (expr, resolve_sample, NULL, &error), ==, 0);
  assert_message (error, expected);
}

static void
test_precedence (void)
{
  assert_number ("1 + 2 * 3", "{}", 7);
  assert_number ("(1 + 2) * 3", "{}", 9);
  assert_number ("10 - 4 - 3", "{}", 3);
  assert_number ("8 / 4 / 2", "{}", 1);
  assert_number ("-2 * 3", "{}", -6);
  assert_number ("2 - -3", "{}", 5);
  assert_number ("- (1 + 2)", "{}", -3);
  assert_number ("0.5 + 1.25", "{}", 1.75);
  assert_boolean ("1 + 2 = 3", "{}", TRUE);
  assert_boolean ("1 + 1 != 2", "{}", FALSE);
  /* "and" binds tighter than "or", "not" looser than a comparison */
  assert_boolean ("true or false and false", "{}", TRUE);
  assert_boolean ("(true or false) and false", "{}", FALSE);
  assert_boolean ("not 1 = 2", "{}", TRUE);
  assert_boolean ("not not true", "{}", TRUE);
  assert_boolean ("1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 4 or 0.1 + 0.2 = 0.3", "{}", TRUE);
}

static void
test_types (void)
{
  g_autoptr(JsonNode) half = evaluate ("7 / 2", "{}");
  g_autoptr(JsonNode) whole = evaluate ("6 / 2", "{}");
  g_autoptr(JsonNode) text = evaluate ("'it''s'", "{}");
  g_autoptr(JsonNode) list = evaluate ("${q_aid}", "{\"q_aid\": [\"pkh\", \"pbi\"]}");

  /* A whole result is stored as 3, not 3.0. */
  g_assert_cmpint (json_node_get_value_type (whole), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (whole), ==, 3);
  g_assert_cmpint (json_node_get_value_type (half), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (half), ==, 3.5);
  g_assert_cmpstr (json_node_get_string (text), ==, "it's");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);

  /* Texts compare by code point, which orders ISO dates. */
  assert_boolean ("'2025-01-31' < '2025-10-01'", "{}", TRUE);
  assert_boolean ("${q_date} >= '2025-02-01'", "{\"q_date\": \"2025-02-01\"}", TRUE);
  assert_boolean ("'Budi' = 'budi'", "{}", FALSE);
  assert_boolean ("${q_ok} = true", "{\"q_ok\": true}", TRUE);
  /* Lists are equal when they hold the same options, in any order. */
  assert_boolean ("${q_aid} = ${q_aid}", "{\"q_aid\": [\"pkh\"]}", TRUE);

  assert_check_error ("'a' + 1", "Character 1: “+” works on numbers, not on a text");
  assert_check_error ("1 + ${q_sex}", "Character 5: “+” works on numbers, not on a text");
  assert_check_error ("-${q_ok}", "Character 2: “-” works on numbers, not on true or false");
  assert_check_error ("${q_age} and true",
                      "Character 1: “and” needs a condition (true or false), not a number");
  assert_check_error ("not 'x'", "Character 5: “not” needs a condition (true or false), not a text");
  assert_check_error ("${q_aid} > 1",
                      "Character 1: “>” compares numbers or texts, not a list of chosen options");
  assert_check_error ("${q_age} < 'x'", "Character 10: a number cannot be compared with a text");
  /* A choice's values are texts: comparing one with a number is a mistake
   * that would hide a question forever. */
  assert_check_error ("${q_sex} = 1", "Character 10: a text is never equal to a number");
  assert_check_error ("true-false", "Character 1: “-” works on numbers, not on true or false");
}

static void
test_type_error_at_evaluation (void)
{
  g_autoptr(JsonObject) answers = parse_answers ("{\"q_age\": \"tiga\"}");
  g_autoptr(PdmExpr) mixed = pdm_expr_parse ("if(true, 'a', 1) + 1", NULL);
  g_autoptr(PdmExpr) wrong_answer = pdm_expr_parse ("${q_age} + 1", NULL);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  /* The checker lets a mixed if() through, the evaluation stops it. */
  g_assert_cmpint (pdm_expr_check (mixed, resolve_sample, NULL, &error), !=, 0);
  g_assert_no_error (error);
  value = pdm_expr_evaluate (mixed, lookup_answer, answers, &error);
  g_assert_null (value);
  assert_message (error, "Character 1: “+” works on numbers, not on a text");
  g_clear_error (&error);

  value = pdm_expr_evaluate (wrong_answer, lookup_answer, answers, &error);
  g_assert_null (value);
  assert_message (error, "Character 1: “+” works on numbers, not on a text");
}

static void
test_functions (void)
{
  const char *answers = "{\"q_aid\": [\"pkh\", \"pbi\"], \"q_sex\": \"p\", \"q_age\": 7,"
                        " \"q_name\": \"Siti\"}";

  assert_boolean ("selected(${q_aid}, 'pkh')", answers, TRUE);
  assert_boolean ("selected(${q_aid}, 'bpnt')", answers, FALSE);
  assert_boolean ("selected(${q_sex}, 'p')", answers, TRUE);
  assert_number ("count-selected(${q_aid})", answers, 2);
  assert_number ("count-selected (${q_aid})", answers, 2);
  assert_number ("if(${q_age} >= 7, 10, 20)", answers, 10);
  assert_number ("if(${q_age} > 7, 10, 20)", answers, 20);
  assert_number ("sum(1, 2, ${q_age})", answers, 10);
  assert_number ("min(4, ${q_age}, 9)", answers, 4);
  assert_number ("max(4, ${q_age}, 1)", answers, 7);
  assert_number ("round(2.5)", "{}", 3);
  assert_number ("round(-2.5)", "{}", -3);
  assert_number ("round(10 / 3, 2)", "{}", 3.33);
  assert_number ("length(${q_name})", answers, 4);
  assert_number ("length('Bukittinggi ñ')", "{}", 13);
  assert_number ("length(${q_aid})", answers, 2);
  assert_boolean ("empty(${q_name})", answers, FALSE);
  assert_boolean ("empty('')", answers, TRUE);
  assert_boolean ("empty(${q_aid})", "{\"q_aid\": []}", TRUE);

  /* if() leaves the other branch alone: no error from it. */
  assert_number ("if(true, 1, round(1, 0.5))", "{}", 1);
}

static void
test_function_errors (void)
{
  g_autoptr(PdmExpr) bad_round = pdm_expr_parse ("round(1.5, 0.5)", NULL);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  assert_parse_error ("foo(1)", "Character 1: there is no function “foo”; the functions are "
                      "count-selected, empty, if, length, max, min, round, selected, sum");
  assert_parse_error ("selected(${q_aid})", "Character 1: “selected” takes 2 arguments, not 1");
  assert_parse_error ("if(true, 1)", "Character 1: “if” takes 3 arguments, not 2");
  assert_parse_error ("sum()", "Character 1: “sum” takes at least 1 argument");
  assert_parse_error ("round(1, 2, 3)", "Character 1: “round” takes 1 to 2 arguments, not 3");
  assert_check_error ("count-selected(${q_sex})",
                      "Character 16: “count-selected” needs a list of chosen options here, not a "
                      "text");
  assert_check_error ("sum(1, 'x')", "Character 8: “sum” needs a number here, not a text");
  assert_check_error ("if(1, 2, 3)", "Character 4: “if” needs true or false here, not a number");
  /* An option that the question does not have is a typo, not a condition. */
  assert_check_error ("selected(${q_aid}, 'pkh ')",
                      "Character 20: “pkh ” is not an option of the question “q_aid”");
  assert_check_error ("${q_sex} = 'L'", "Character 12: “L” is not an option of the question “q_sex”");
  assert_check_error ("'x' != ${q_sex}", "Character 1: “x” is not an option of the question “q_sex”");

  value = pdm_expr_evaluate (bad_round, lookup_answer, NULL, &error);
  g_assert_null (value);
  assert_message (error, "Character 12: “round” keeps 0 to 15 decimals, not 0.5");
}

static void
test_parse_errors (void)
{
  assert_parse_error ("", "Character 1: the expression is empty");
  assert_parse_error ("   ", "Character 1: the expression is empty");
  assert_parse_error ("1 +", "Character 4: the expression ends too early");
  assert_parse_error ("(1 + 2", "Character 1: this “(” is not closed with “)”");
  assert_parse_error ("sum(1, 2", "Character 4: this “(” is not closed with “)”");
  assert_parse_error ("sum(1 2)", "Character 7: a “,” or “)” is missing here");
  assert_parse_error ("1 + 2)", "Character 6: “)” does not belong here");
  assert_parse_error ("1 2", "Character 3: “2” does not belong here");
  assert_parse_error ("${q_name} = 'Siti", "Character 13: the text that starts here is not "
                      "closed with a single quote (')");
  assert_parse_error ("${q_name} = \"Siti\"", "Character 13: write a text between single quotes");
  assert_parse_error ("${q_age", "Character 1: “${” is not closed with “}”");
  assert_parse_error ("${q age}", "Character 3: “q age” is not a question id");
  assert_parse_error ("${1q}", "Character 3: “1q” is not a question id; an id starts with a letter");
  assert_parse_error ("$q_age", "Character 1: write the answer of a question as ${id}");
  assert_parse_error ("q_age > 3", "Character 1: “q_age” is not a word of the language; write "
                      "the answer of a question as ${q_age}");
  assert_parse_error ("1 == 1", "Character 3: write “=” to compare, not “==”");
  assert_parse_error ("true && false", "Character 6: write “and” instead of “&&”");
  assert_parse_error ("true || false", "Character 6: write “or” instead of “||”");
  assert_parse_error ("!true", "Character 1: write “not” instead of “!”");
  assert_parse_error ("1 < 2 < 3", "Character 7: comparisons cannot be chained; join them with "
                      "“and”");
  assert_parse_error ("1.2.3", "Character 1: “1.2.3” is not a number");
  assert_parse_error ("2.", "Character 1: “2.” is not a number");
  assert_parse_error ("12abc", "Character 1: “12abc” is not a number");
  assert_parse_error (".5", "Character 1: a number starts with a digit");
  /* Positions count characters, not bytes: "é" is one. */
  assert_parse_error ("'é' = 'é' #", "Character 11: “#” cannot be used in an expression");
}

static void
test_nesting_limit (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) fine = g_string_new (NULL);
  g_autoptr(PdmExpr) expr = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, '(');
  g_string_append (deep, "1");
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, ')');
  assert_parse_error (deep->str, "the expression is nested too deeply");

  for (guint i = 0; i < 20; i++)
    g_string_append (fine, "not ");
  g_string_append (fine, "true");
  expr = pdm_expr_parse (fine->str, NULL);
  g_assert_nonnull (expr);
}

static void
test_division_by_zero (void)
{
  /* An average over nothing is "no value", not a broken form. */
  assert_null ("1 / 0", "{}");
  assert_null ("round(${q_age} / (${q_age} - 7), 1)", "{\"q_age\": 7}");
  assert_boolean ("empty(10 / 0)", "{}", TRUE);
  assert_number ("sum(1 / 0, 2)", "{}", 2);
}

static void
test_null (void)
{
  assert_null ("${q_age} + 1", "{}");
  assert_null ("${q_age} * 0", "{\"q_age\": null}");
  assert_null ("-${q_age}", "{}");
  assert_boolean ("${q_age} = null", "{}", TRUE);
  assert_boolean ("${q_age} != null", "{\"q_age\": 3}", TRUE);
  assert_boolean ("${q_sex} = 'l'", "{}", FALSE);
  assert_boolean ("${q_sex} != 'l'", "{}", TRUE);
  assert_null ("${q_age} > 1", "{}");
  /* Three-valued logic: an unknown side decides nothing. */
  assert_boolean ("${q_age} > 1 and false", "{}", FALSE);
  assert_null ("${q_age} > 1 and true", "{}");
  assert_boolean ("${q_age} > 1 or true", "{}", TRUE);
  assert_null ("${q_age} > 1 or false", "{}");
  assert_null ("not (${q_age} > 1)", "{}");
  assert_number ("if(${q_age} > 1, 1, 2)", "{}", 2);
  assert_boolean ("empty(${q_name})", "{}", TRUE);
  assert_number ("sum(${q_age}, 2)", "{}", 2);
  assert_null ("min(${q_age})", "{}");
  assert_null ("round(${q_age})", "{}");
  assert_number ("count-selected(${q_aid})", "{}", 0);
  assert_boolean ("selected(${q_aid}, 'pkh')", "{}", FALSE);
  assert_number ("length(${q_name})", "{}", 0);
  assert_null ("null", "{}");
  assert_null ("null + 1", "{}");
}

static void
test_references (void)
{
  g_autoptr(PdmExpr) expr = NULL;
  g_autoptr(PdmExpr) constraint = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *references;

  expr = pdm_expr_parse ("${q_age} > 5 and (selected(${q_aid}, 'pkh') or ${q_age} < 2)", &error);
  g_assert_no_error (error);
  references = pdm_expr_get_references (expr);
  g_assert_cmpuint (g_strv_length ((char **) references), ==, 2);
  g_assert_cmpstr (references[0], ==, "q_age");
  g_assert_cmpstr (references[1], ==, "q_aid");
  g_assert_false (pdm_expr_uses_self (expr));
  g_assert_cmpstr (pdm_expr_get_text (expr), ==,
                   "${q_age} > 5 and (selected(${q_aid}, 'pkh') or ${q_age} < 2)");

  constraint = pdm_expr_parse (". >= 0 and . <= ${q_age}", &error);
  g_assert_no_error (error);
  g_assert_true (pdm_expr_uses_self (constraint));
  references = pdm_expr_get_references (constraint);
  g_assert_cmpuint (g_strv_length ((char **) references), ==, 1);
  g_assert_cmpstr (references[0], ==, "q_age");
  assert_boolean (". >= 0 and . <= ${q_age}", "{\"self\": 4, \"q_age\": 5}", TRUE);
  assert_boolean (". >= 0 and . <= ${q_age}", "{\"self\": 6, \"q_age\": 5}", FALSE);

  /* The checker's refusal of a reference keeps its reason and position. */
  assert_check_error ("1 + ${q_missing}", "Character 5: no question “q_missing”");
}

static void
test_malformed_answer (void)
{
  g_autoptr(JsonObject) answers = parse_answers ("{\"q_aid\": [\"pkh\", 3]}");
  g_autoptr(PdmExpr) expr = pdm_expr_parse ("count-selected(${q_aid})", NULL);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  value = pdm_expr_evaluate (expr, lookup_answer, answers, &error);
  g_assert_null (value);
  assert_message (error, "Character 16: the answer of “q_aid” is not a number, a text, true or "
                  "false, or a list of options");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/expr/precedence", test_precedence);
  g_test_add_func ("/expr/types", test_types);
  g_test_add_func ("/expr/types/at-evaluation", test_type_error_at_evaluation);
  g_test_add_func ("/expr/functions", test_functions);
  g_test_add_func ("/expr/functions/errors", test_function_errors);
  g_test_add_func ("/expr/parse-errors", test_parse_errors);
  g_test_add_func ("/expr/nesting-limit", test_nesting_limit);
  g_test_add_func ("/expr/division-by-zero", test_division_by_zero);
  g_test_add_func ("/expr/null", test_null);
  g_test_add_func ("/expr/references", test_references);
  g_test_add_func ("/expr/malformed-answer", test_malformed_answer);

  return g_test_run ();
}
