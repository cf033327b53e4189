/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-expr"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-expr.h"

/*
 * A recursive-descent parser builds a tree of nodes, one per operator,
 * literal, reference and call. Every node remembers its character position,
 * so the checker (static types, run when a form is loaded) and the evaluator
 * can point at the part of the text that is wrong.
 *
 * Values during evaluation borrow their strings and lists from the tree or
 * from the answers, so evaluating allocates nothing until the result is
 * turned into a JsonNode.
 */

/* Deeper nesting than this is a broken or hostile form, not a real one,
 * and would only risk the stack. */
#define MAX_DEPTH 64

/* round() takes at most this many decimals; a double has no more. */
#define MAX_DECIMALS 15

typedef struct
{
  PdmExprType  type;
  double       number;
  gboolean     boolean;
  const char  *string;
  JsonArray   *list;
} Value;

typedef enum
{
  NODE_LITERAL,
  NODE_REF,
  NODE_NEGATE,
  NODE_NOT,
  NODE_AND,
  NODE_OR,
  NODE_ARITHMETIC,
  NODE_COMPARE,
  NODE_CALL,
} NodeKind;

typedef enum
{
  OP_ADD,
  OP_SUBTRACT,
  OP_MULTIPLY,
  OP_DIVIDE,
  OP_EQUAL,
  OP_NOT_EQUAL,
  OP_LESS,
  OP_LESS_EQUAL,
  OP_GREATER,
  OP_GREATER_EQUAL,
} Op;

static const char * const op_symbols[] = {
  [OP_ADD] = "+",
  [OP_SUBTRACT] = "-",
  [OP_MULTIPLY] = "*",
  [OP_DIVIDE] = "/",
  [OP_EQUAL] = "=",
  [OP_NOT_EQUAL] = "!=",
  [OP_LESS] = "<",
  [OP_LESS_EQUAL] = "<=",
  [OP_GREATER] = ">",
  [OP_GREATER_EQUAL] = ">=",
};

typedef struct _Node Node;
typedef struct _Function Function;

struct _Node
{
  NodeKind        kind;
  Op              op;
  /* 1-based character position in the text, for messages */
  guint           position;
  /* literal value; its string is @text */
  Value           value;
  /* string literal, reference id or function name */
  char           *text;
  const Function *function;
  Node          **args;
  guint           n_args;
};

struct _PdmExpr
{
  gatomicrefcount  ref_count;
  char            *text;
  Node            *root;
  /* NULL-terminated, each id once, in order of first use */
  GPtrArray       *references;
  gboolean         uses_self;
};

G_DEFINE_BOXED_TYPE (PdmExpr, pdm_expr, pdm_expr_ref, pdm_expr_unref)

static void G_GNUC_PRINTF (3, 4)
set_error_at (GError     **error,
              guint        position,
              const char  *format,
              ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: where an expression of a form is wrong: the position of
   * the character (1 is the first), then the reason */
  g_set_error (error, PDM_ERROR, PDM_ERROR_EXPRESSION, _("Character %u: %s"), position, reason);
}

/**
 * pdm_expr_type_to_string:
 * @type: a single #PdmExprType, or a set
 *
 * Returns: the type as words for a message, such as "a number" ("angka");
 *   for a set of several types other than null, "a value of mixed type"
 */
const char *
pdm_expr_type_to_string (PdmExprType type)
{
  /* Null goes along with every type; name the others when there are some. */
  if (type != PDM_EXPR_TYPE_NULL)
    type &= ~PDM_EXPR_TYPE_NULL;

  switch ((int) type)
    {
    case PDM_EXPR_TYPE_NULL:
      /* Translators: the value of a question without an answer */
      return _("empty (no answer)");
    case PDM_EXPR_TYPE_NUMBER:
      return _("a number");
    case PDM_EXPR_TYPE_STRING:
      return _("a text");
    case PDM_EXPR_TYPE_BOOLEAN:
      return _("true or false");
    case PDM_EXPR_TYPE_LIST:
      /* Translators: the answer of a multiple-choice question */
      return _("a list of chosen options");
    default:
      return _("a value of mixed type");
    }
}

/* --- tree ------------------------------------------------------------- */

static void
node_free (Node *node)
{
  if (node == NULL)
    return;

  for (guint i = 0; i < node->n_args; i++)
    node_free (node->args[i]);
  g_free (node->args);
  g_free (node->text);
  g_free (node);
}

static Node *
node_new (NodeKind kind,
          guint    position)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->position = position;

  return node;
}

static Node *
node_new_binary (NodeKind  kind,
                 Op        op,
                 guint     position,
                 Node     *left,
                 Node     *right)
{
  Node *node = node_new (kind, position);

  node->op = op;
  node->n_args = 2;
  node->args = g_new (Node *, 2);
  node->args[0] = left;
  node->args[1] = right;

  return node;
}

static Node *
node_new_unary (NodeKind  kind,
                guint     position,
                Node     *operand)
{
  Node *node = node_new (kind, position);

  node->n_args = 1;
  node->args = g_new (Node *, 1);
  node->args[0] = operand;

  return node;
}

/* --- functions -------------------------------------------------------- */

typedef struct
{
  PdmExprResolveFunc resolve;
  gpointer           user_data;
} Checker;

typedef struct
{
  PdmExprLookupFunc lookup;
  gpointer          user_data;
} Evaluator;

struct _Function
{
  const char  *name;
  guint        min_args;
  guint        max_args;
  /* Gets the types of the arguments, already checked one by one. */
  PdmExprType (*check) (Checker      *checker,
                        Node         *node,
                        PdmExprType  *arg_types,
                        GError      **error);
  /* Evaluates its own arguments, so that if() can leave one alone. */
  gboolean    (*evaluate) (Evaluator  *evaluator,
                           Node       *node,
                           Value      *out,
                           GError    **error);
};

static gboolean evaluate_node (Evaluator  *evaluator,
                               Node       *node,
                               Value      *out,
                               GError    **error);

/* Whether a value of @actual types can be one of @wanted. A literal null
 * goes anywhere: it means "no answer", which every operation accepts. */
static gboolean
types_fit (PdmExprType actual,
           PdmExprType wanted)
{
  PdmExprType without_null = actual & ~PDM_EXPR_TYPE_NULL;

  return without_null == 0 || (without_null & wanted) != 0;
}

static gboolean
need_argument (Node         *call,
               guint         index,
               PdmExprType   actual,
               PdmExprType   wanted,
               GError      **error)
{
  if (types_fit (actual, wanted))
    return TRUE;

  /* Translators: a function of a form expression got an argument of the
   * wrong type: the function's name, the type it needs, the type it got */
  set_error_at (error, call->args[index]->position, _("“%s” needs %s here, not %s"),
                call->function->name, pdm_expr_type_to_string (wanted),
                pdm_expr_type_to_string (actual));
  return FALSE;
}

static gboolean
need_value (Node         *call,
            guint         index,
            const Value  *value,
            PdmExprType   wanted,
            GError      **error)
{
  return need_argument (call, index, value->type, wanted, error);
}

/* The options a reference to a choice question allows, to refuse a literal
 * that is not one of them (a typo would make a condition silently false). */
static gboolean
check_option_literal (Checker  *checker,
                      Node     *reference,
                      Node     *literal,
                      GError  **error)
{
  const char * const *options = NULL;
  PdmExprType type;

  if (reference->kind != NODE_REF || literal->kind != NODE_LITERAL ||
      literal->value.type != PDM_EXPR_TYPE_STRING)
    return TRUE;

  /* Already resolved once without error when the reference was checked. */
  if (!checker->resolve (reference->text, &type, &options, checker->user_data, NULL) ||
      options == NULL)
    return TRUE;

  if (g_strv_contains (options, literal->value.string))
    return TRUE;

  /* Translators: a form expression names an option that a choice question
   * does not have: the option's value, then the question's id */
  set_error_at (error, literal->position, _("“%s” is not an option of the question “%s”"),
                literal->value.string,
                g_str_equal (reference->text, PDM_EXPR_SELF) ? _("this question") : reference->text);
  return FALSE;
}

static PdmExprType
check_selected (Checker      *checker,
                Node         *node,
                PdmExprType  *arg_types,
                GError      **error)
{
  if (!need_argument (node, 0, arg_types[0], PDM_EXPR_TYPE_LIST | PDM_EXPR_TYPE_STRING, error) ||
      !need_argument (node, 1, arg_types[1], PDM_EXPR_TYPE_STRING, error) ||
      !check_option_literal (checker, node->args[0], node->args[1], error))
    return 0;

  return PDM_EXPR_TYPE_BOOLEAN;
}

static gboolean
list_contains (JsonArray  *list,
               const char *string)
{
  guint n = json_array_get_length (list);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (json_array_get_string_element (list, i), string) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
evaluate_selected (Evaluator  *evaluator,
                   Node       *node,
                   Value      *out,
                   GError    **error)
{
  Value choices, option;

  if (!evaluate_node (evaluator, node->args[0], &choices, error) ||
      !evaluate_node (evaluator, node->args[1], &option, error) ||
      !need_value (node, 0, &choices, PDM_EXPR_TYPE_LIST | PDM_EXPR_TYPE_STRING, error) ||
      !need_value (node, 1, &option, PDM_EXPR_TYPE_STRING, error))
    return FALSE;

  out->type = PDM_EXPR_TYPE_BOOLEAN;
  if (choices.type == PDM_EXPR_TYPE_NULL || option.type == PDM_EXPR_TYPE_NULL)
    out->boolean = FALSE;
  else if (choices.type == PDM_EXPR_TYPE_STRING)
    out->boolean = g_str_equal (choices.string, option.string);
  else
    out->boolean = list_contains (choices.list, option.string);

  return TRUE;
}

static PdmExprType
check_count_selected (Checker      *checker,
                      Node         *node,
                      PdmExprType  *arg_types,
                      GError      **error)
{
  if (!need_argument (node, 0, arg_types[0], PDM_EXPR_TYPE_LIST, error))
    return 0;

  return PDM_EXPR_TYPE_NUMBER;
}

static gboolean
evaluate_count_selected (Evaluator  *evaluator,
                         Node       *node,
                         Value      *out,
                         GError    **error)
{
  Value choices;

  if (!evaluate_node (evaluator, node->args[0], &choices, error) ||
      !need_value (node, 0, &choices, PDM_EXPR_TYPE_LIST, error))
    return FALSE;

  out->type = PDM_EXPR_TYPE_NUMBER;
  out->number = choices.type == PDM_EXPR_TYPE_NULL ? 0 : json_array_get_length (choices.list);

  return TRUE;
}

static PdmExprType
check_if (Checker      *checker,
          Node         *node,
          PdmExprType  *arg_types,
          GError      **error)
{
  if (!need_argument (node, 0, arg_types[0], PDM_EXPR_TYPE_BOOLEAN, error))
    return 0;

  return arg_types[1] | arg_types[2];
}

static gboolean
evaluate_if (Evaluator  *evaluator,
             Node       *node,
             Value      *out,
             GError    **error)
{
  Value condition;

  if (!evaluate_node (evaluator, node->args[0], &condition, error) ||
      !need_value (node, 0, &condition, PDM_EXPR_TYPE_BOOLEAN, error))
    return FALSE;

  /* An unknown condition (null) is not true. */
  if (condition.type == PDM_EXPR_TYPE_BOOLEAN && condition.boolean)
    return evaluate_node (evaluator, node->args[1], out, error);
  else
    return evaluate_node (evaluator, node->args[2], out, error);
}

static PdmExprType
check_numbers (Checker      *checker,
               Node         *node,
               PdmExprType  *arg_types,
               GError      **error)
{
  for (guint i = 0; i < node->n_args; i++)
    if (!need_argument (node, i, arg_types[i], PDM_EXPR_TYPE_NUMBER, error))
      return 0;

  /* sum() of nothing is 0; min(), max() and round() of nothing are null. */
  if (g_str_equal (node->function->name, "sum"))
    return PDM_EXPR_TYPE_NUMBER;

  return PDM_EXPR_TYPE_NUMBER | PDM_EXPR_TYPE_NULL;
}

/* sum() skips what is not answered, so a total can be shown before every
 * part is; min() and max() of nothing are null. */
static gboolean
evaluate_numbers (Evaluator  *evaluator,
                  Node       *node,
                  Value      *out,
                  GError    **error)
{
  gboolean is_sum = g_str_equal (node->function->name, "sum");
  gboolean is_min = g_str_equal (node->function->name, "min");
  gboolean any = FALSE;
  double result = 0;

  for (guint i = 0; i < node->n_args; i++)
    {
      Value value;

      if (!evaluate_node (evaluator, node->args[i], &value, error) ||
          !need_value (node, i, &value, PDM_EXPR_TYPE_NUMBER, error))
        return FALSE;

      if (value.type == PDM_EXPR_TYPE_NULL)
        continue;

      if (is_sum)
        result += value.number;
      else if (!any || (is_min ? value.number < result : value.number > result))
        result = value.number;
      any = TRUE;
    }

  if (!is_sum && !any)
    {
      out->type = PDM_EXPR_TYPE_NULL;
      return TRUE;
    }

  out->type = PDM_EXPR_TYPE_NUMBER;
  out->number = result;

  return TRUE;
}

static gboolean
evaluate_round (Evaluator  *evaluator,
                Node       *node,
                Value      *out,
                GError    **error)
{
  Value number, decimals = { PDM_EXPR_TYPE_NUMBER, 0, };
  double scale;

  if (!evaluate_node (evaluator, node->args[0], &number, error) ||
      !need_value (node, 0, &number, PDM_EXPR_TYPE_NUMBER, error))
    return FALSE;

  if (node->n_args > 1 &&
      (!evaluate_node (evaluator, node->args[1], &decimals, error) ||
       !need_value (node, 1, &decimals, PDM_EXPR_TYPE_NUMBER, error)))
    return FALSE;

  if (decimals.type == PDM_EXPR_TYPE_NUMBER &&
      (decimals.number != floor (decimals.number) ||
       decimals.number < 0 || decimals.number > MAX_DECIMALS))
    {
      set_error_at (error, node->args[1]->position,
                    _("“round” keeps 0 to %d decimals, not %g"),
                    MAX_DECIMALS, decimals.number);
      return FALSE;
    }

  if (number.type == PDM_EXPR_TYPE_NULL || decimals.type == PDM_EXPR_TYPE_NULL)
    {
      out->type = PDM_EXPR_TYPE_NULL;
      return TRUE;
    }

  /* Half away from zero, as people round by hand: round(2.5) is 3. */
  scale = pow (10, decimals.number);
  out->type = PDM_EXPR_TYPE_NUMBER;
  out->number = round (number.number * scale) / scale;

  return TRUE;
}

static PdmExprType
check_empty (Checker      *checker,
             Node         *node,
             PdmExprType  *arg_types,
             GError      **error)
{
  return PDM_EXPR_TYPE_BOOLEAN;
}

static gboolean
evaluate_empty (Evaluator  *evaluator,
                Node       *node,
                Value      *out,
                GError    **error)
{
  Value value;

  if (!evaluate_node (evaluator, node->args[0], &value, error))
    return FALSE;

  out->type = PDM_EXPR_TYPE_BOOLEAN;
  out->boolean = value.type == PDM_EXPR_TYPE_NULL ||
                 (value.type == PDM_EXPR_TYPE_STRING && value.string[0] == '\0') ||
                 (value.type == PDM_EXPR_TYPE_LIST && json_array_get_length (value.list) == 0);

  return TRUE;
}

static PdmExprType
check_length (Checker      *checker,
              Node         *node,
              PdmExprType  *arg_types,
              GError      **error)
{
  if (!need_argument (node, 0, arg_types[0], PDM_EXPR_TYPE_STRING | PDM_EXPR_TYPE_LIST, error))
    return 0;

  return PDM_EXPR_TYPE_NUMBER;
}

static gboolean
evaluate_length (Evaluator  *evaluator,
                 Node       *node,
                 Value      *out,
                 GError    **error)
{
  Value value;

  if (!evaluate_node (evaluator, node->args[0], &value, error) ||
      !need_value (node, 0, &value, PDM_EXPR_TYPE_STRING | PDM_EXPR_TYPE_LIST, error))
    return FALSE;

  out->type = PDM_EXPR_TYPE_NUMBER;
  if (value.type == PDM_EXPR_TYPE_STRING)
    out->number = g_utf8_strlen (value.string, -1);
  else if (value.type == PDM_EXPR_TYPE_LIST)
    out->number = json_array_get_length (value.list);
  else
    out->number = 0;

  return TRUE;
}

static const Function functions[] = {
  { "count-selected", 1, 1, check_count_selected, evaluate_count_selected },
  { "empty", 1, 1, check_empty, evaluate_empty },
  { "if", 3, 3, check_if, evaluate_if },
  { "length", 1, 1, check_length, evaluate_length },
  { "max", 1, G_MAXUINT, check_numbers, evaluate_numbers },
  { "min", 1, G_MAXUINT, check_numbers, evaluate_numbers },
  { "round", 1, 2, check_numbers, evaluate_round },
  { "selected", 2, 2, check_selected, evaluate_selected },
  { "sum", 1, G_MAXUINT, check_numbers, evaluate_numbers },
};

static const Function *
find_function (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (g_str_equal (functions[i].name, name))
      return &functions[i];

  return NULL;
}

static char *
list_functions (void)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, functions[i].name);
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* --- lexer ------------------------------------------------------------ */

typedef enum
{
  TOKEN_END,
  TOKEN_NUMBER,
  TOKEN_STRING,
  TOKEN_NAME,
  TOKEN_REF,
  TOKEN_SELF,
  TOKEN_OPEN,
  TOKEN_CLOSE,
  TOKEN_COMMA,
  TOKEN_PLUS,
  TOKEN_MINUS,
  TOKEN_STAR,
  TOKEN_SLASH,
  TOKEN_EQUAL,
  TOKEN_NOT_EQUAL,
  TOKEN_LESS,
  TOKEN_LESS_EQUAL,
  TOKEN_GREATER,
  TOKEN_GREATER_EQUAL,
} TokenKind;

typedef struct
{
  TokenKind   kind;
  const char *start;
  gsize       length;
  double      number;
  /* the text of a string, the id of a reference, a name; owned */
  char       *text;
} Token;

typedef struct
{
  const char *text;
  const char *cursor;
  Token       token;
  guint       depth;
} Parser;

static guint
position_of (Parser     *parser,
             const char *at)
{
  return g_utf8_pointer_to_offset (parser->text, at) + 1;
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gboolean
is_id_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static gboolean
scan_string (Parser      *parser,
             const char  *start,
             GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p = start + 1;

  for (;;)
    {
      if (*p == '\0')
        {
          set_error_at (error, position_of (parser, start),
                        _("the text that starts here is not closed with a single quote (')"));
          return FALSE;
        }
      if (*p == '\'')
        {
          /* Two quotes stand for one quote inside the text, as in SQL. */
          if (p[1] != '\'')
            break;
          p++;
        }
      g_string_append_c (text, *p);
      p++;
    }

  parser->token.kind = TOKEN_STRING;
  parser->token.text = g_string_free (g_steal_pointer (&text), FALSE);
  parser->cursor = p + 1;

  return TRUE;
}

static gboolean
scan_reference (Parser      *parser,
                const char  *start,
                GError     **error)
{
  const char *id = start + 2;
  const char *end = strchr (id, '}');
  g_autofree char *text = NULL;

  if (end == NULL)
    {
      set_error_at (error, position_of (parser, start), _("“${” is not closed with “}”"));
      return FALSE;
    }

  text = g_strndup (id, end - id);
  for (const char *p = text; *p != '\0'; p++)
    if (!is_id_char (*p))
      {
        set_error_at (error, position_of (parser, id),
                      _("“%s” is not a question id; an id has only letters, digits, “_” and “-”"),
                      text);
        return FALSE;
      }
  if (!is_name_start (text[0]))
    {
      set_error_at (error, position_of (parser, id),
                    _("“%s” is not a question id; an id starts with a letter"), text);
      return FALSE;
    }

  parser->token.kind = TOKEN_REF;
  parser->token.text = g_steal_pointer (&text);
  parser->cursor = end + 1;

  return TRUE;
}

static gboolean
scan_number (Parser      *parser,
             const char  *start,
             GError     **error)
{
  const char *p = start;
  g_autofree char *text = NULL;

  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        {
          text = g_strndup (start, p - start);
          set_error_at (error, position_of (parser, start), _("“%s” is not a number"), text);
          return FALSE;
        }
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (is_name_char (*p) || *p == '.')
    {
      while (is_name_char (*p) || *p == '.')
        p++;
      text = g_strndup (start, p - start);
      set_error_at (error, position_of (parser, start), _("“%s” is not a number"), text);
      return FALSE;
    }

  text = g_strndup (start, p - start);
  parser->token.kind = TOKEN_NUMBER;
  parser->token.number = g_ascii_strtod (text, NULL);
  parser->cursor = p;

  return TRUE;
}

/* A function name may hold "-" (count-selected), but only when a "(" follows,
 * so that "true-false" still reads as a subtraction. */
static void
scan_name (Parser     *parser,
           const char *start)
{
  const char *p = start;
  const char *end;
  const char *after;

  while (is_name_char (*p))
    p++;
  end = p;

  while (*p == '-' && is_name_start (p[1]))
    {
      p++;
      while (is_name_char (*p))
        p++;
    }
  after = p;
  while (g_ascii_isspace (*after))
    after++;
  if (*after == '(')
    end = p;

  parser->token.kind = TOKEN_NAME;
  parser->token.text = g_strndup (start, end - start);
  parser->cursor = end;
}

/* Characters that are a token by themselves, and their tokens. */
#define SINGLE_CHARS "(),+-*/"
static const TokenKind single_tokens[] = {
  TOKEN_OPEN, TOKEN_CLOSE, TOKEN_COMMA, TOKEN_PLUS, TOKEN_MINUS, TOKEN_STAR, TOKEN_SLASH,
};

static gboolean
next_token (Parser  *parser,
            GError **error)
{
  const char *p = parser->cursor;
  Token *token = &parser->token;

  g_clear_pointer (&token->text, g_free);
  while (g_ascii_isspace (*p))
    p++;

  token->start = p;
  parser->cursor = p + 1;

  switch (*p)
    {
    case '\0':
      token->kind = TOKEN_END;
      parser->cursor = p;
      break;
    case '(': case ')': case ',': case '+': case '-': case '*': case '/':
      token->kind = single_tokens[strchr (SINGLE_CHARS, *p) - SINGLE_CHARS];
      break;
    case '.':
      token->kind = TOKEN_SELF;
      if (g_ascii_isdigit (p[1]))
        {
          set_error_at (error, position_of (parser, p),
                        _("a number starts with a digit: write 0.5, not .5"));
          return FALSE;
        }
      break;
    case '=':
      token->kind = TOKEN_EQUAL;
      if (p[1] == '=')
        {
          set_error_at (error, position_of (parser, p), _("write “=” to compare, not “==”"));
          return FALSE;
        }
      break;
    case '!':
      if (p[1] != '=')
        {
          set_error_at (error, position_of (parser, p), _("write “not” instead of “!”"));
          return FALSE;
        }
      token->kind = TOKEN_NOT_EQUAL;
      parser->cursor = p + 2;
      break;
    case '<':
      token->kind = p[1] == '=' ? TOKEN_LESS_EQUAL : TOKEN_LESS;
      parser->cursor = p + (p[1] == '=' ? 2 : 1);
      break;
    case '>':
      token->kind = p[1] == '=' ? TOKEN_GREATER_EQUAL : TOKEN_GREATER;
      parser->cursor = p + (p[1] == '=' ? 2 : 1);
      break;
    case '&':
      set_error_at (error, position_of (parser, p), _("write “and” instead of “&&”"));
      return FALSE;
    case '|':
      set_error_at (error, position_of (parser, p), _("write “or” instead of “||”"));
      return FALSE;
    case '"':
      set_error_at (error, position_of (parser, p),
                    _("write a text between single quotes ('…'), not double quotes"));
      return FALSE;
    case '\'':
      if (!scan_string (parser, p, error))
        return FALSE;
      break;
    case '$':
      if (p[1] != '{')
        {
          set_error_at (error, position_of (parser, p),
                        _("write the answer of a question as ${id}"));
          return FALSE;
        }
      if (!scan_reference (parser, p, error))
        return FALSE;
      break;
    default:
      if (g_ascii_isdigit (*p))
        {
          if (!scan_number (parser, p, error))
            return FALSE;
        }
      else if (is_name_start (*p))
        {
          scan_name (parser, p);
        }
      else
        {
          g_autofree char *character = g_strndup (p, g_utf8_next_char (p) - p);

          set_error_at (error, position_of (parser, p),
                        _("“%s” cannot be used in an expression"), character);
          return FALSE;
        }
      break;
    }

  token->length = parser->cursor - p;

  return TRUE;
}

/* --- parser ----------------------------------------------------------- */

static Node *parse_or (Parser  *parser,
                       GError **error);

static gboolean
token_is_name (Parser     *parser,
               const char *name)
{
  return parser->token.kind == TOKEN_NAME && g_str_equal (parser->token.text, name);
}

static void
fail_unexpected (Parser  *parser,
                 GError **error)
{
  g_autofree char *text = NULL;

  if (parser->token.kind == TOKEN_END)
    {
      set_error_at (error, position_of (parser, parser->token.start),
                    _("the expression ends too early"));
      return;
    }

  text = g_strndup (parser->token.start, parser->token.length);
  set_error_at (error, position_of (parser, parser->token.start),
                _("“%s” does not belong here"), text);
}

static Node *
parse_call (Parser  *parser,
            GError **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  guint position = position_of (parser, parser->token.start);
  g_autofree char *name = g_steal_pointer (&parser->token.text);
  const Function *function = find_function (name);
  guint open_position;
  Node *node;

  if (function == NULL)
    {
      g_autofree char *names = list_functions ();

      set_error_at (error, position, _("there is no function “%s”; the functions are %s"),
                    name, names);
      return NULL;
    }

  /* The name is followed by "(", or scan_name() would not have taken it. */
  if (!next_token (parser, error))
    return NULL;
  open_position = position_of (parser, parser->token.start);
  if (!next_token (parser, error))
    return NULL;

  if (parser->token.kind != TOKEN_CLOSE)
    for (;;)
      {
        Node *arg = parse_or (parser, error);

        if (arg == NULL)
          return NULL;
        g_ptr_array_add (args, arg);

        if (parser->token.kind == TOKEN_CLOSE)
          break;
        if (parser->token.kind != TOKEN_COMMA)
          {
            if (parser->token.kind == TOKEN_END)
              set_error_at (error, open_position, _("this “(” is not closed with “)”"));
            else
              set_error_at (error, position_of (parser, parser->token.start),
                            _("a “,” or “)” is missing here"));
            return NULL;
          }
        if (!next_token (parser, error))
          return NULL;
      }

  if (args->len < function->min_args || args->len > function->max_args)
    {
      if (function->min_args == function->max_args)
        set_error_at (error, position,
                      ngettext ("“%s” takes %u argument, not %u",
                                "“%s” takes %u arguments, not %u", function->min_args),
                      name, function->min_args, args->len);
      else if (function->max_args == G_MAXUINT)
        set_error_at (error, position,
                      ngettext ("“%s” takes at least %u argument",
                                "“%s” takes at least %u arguments", function->min_args),
                      name, function->min_args);
      else
        set_error_at (error, position, _("“%s” takes %u to %u arguments, not %u"),
                      name, function->min_args, function->max_args, args->len);
      return NULL;
    }

  if (!next_token (parser, error))
    return NULL;

  node = node_new (NODE_CALL, position);
  node->function = function;
  node->text = g_steal_pointer (&name);
  node->n_args = args->len;
  g_ptr_array_set_free_func (args, NULL);
  node->args = (Node **) g_ptr_array_free (g_steal_pointer (&args), FALSE);

  return node;
}

static Node *
parse_primary (Parser  *parser,
               GError **error)
{
  Token *token = &parser->token;
  guint position = position_of (parser, token->start);
  Node *node;

  switch (token->kind)
    {
    case TOKEN_NUMBER:
      node = node_new (NODE_LITERAL, position);
      node->value.type = PDM_EXPR_TYPE_NUMBER;
      node->value.number = token->number;
      break;

    case TOKEN_STRING:
      node = node_new (NODE_LITERAL, position);
      node->text = g_steal_pointer (&token->text);
      node->value.type = PDM_EXPR_TYPE_STRING;
      node->value.string = node->text;
      break;

    case TOKEN_REF:
      node = node_new (NODE_REF, position);
      node->text = g_steal_pointer (&token->text);
      break;

    case TOKEN_SELF:
      node = node_new (NODE_REF, position);
      node->text = g_strdup (PDM_EXPR_SELF);
      break;

    case TOKEN_OPEN:
      {
        if (!next_token (parser, error))
          return NULL;
        node = parse_or (parser, error);
        if (node == NULL)
          return NULL;
        if (token->kind != TOKEN_CLOSE)
          {
            node_free (node);
            if (token->kind == TOKEN_END)
              set_error_at (error, position, _("this “(” is not closed with “)”"));
            else
              fail_unexpected (parser, error);
            return NULL;
          }
      }
      break;

    case TOKEN_NAME:
      if (g_str_equal (token->text, "true") || g_str_equal (token->text, "false"))
        {
          node = node_new (NODE_LITERAL, position);
          node->value.type = PDM_EXPR_TYPE_BOOLEAN;
          node->value.boolean = g_str_equal (token->text, "true");
          break;
        }
      if (g_str_equal (token->text, "null"))
        {
          node = node_new (NODE_LITERAL, position);
          node->value.type = PDM_EXPR_TYPE_NULL;
          break;
        }
      {
        const char *after = parser->cursor;

        while (g_ascii_isspace (*after))
          after++;
        if (*after == '(')
          return parse_call (parser, error);
      }
      set_error_at (error, position,
                    _("“%s” is not a word of the language; write the answer of a question as ${%s}"),
                    token->text, token->text);
      return NULL;

    default:
      fail_unexpected (parser, error);
      return NULL;
    }

  if (!next_token (parser, error))
    {
      node_free (node);
      return NULL;
    }

  return node;
}

typedef Node *(*ParseFunc) (Parser  *parser,
                             GError **error);

/* Every level that can nest counts, so that a hostile text cannot exhaust
 * the stack. */
static gboolean
enter_level (Parser  *parser,
             GError **error)
{
  if (++parser->depth <= MAX_DEPTH)
    return TRUE;

  set_error_at (error, position_of (parser, parser->token.start),
                _("the expression is nested too deeply"));
  return FALSE;
}

/* "-" x and "not" x: the operator, then an operand of the same level. */
static Node *
parse_prefix (Parser     *parser,
              NodeKind    kind,
              ParseFunc   same_level,
              GError    **error)
{
  guint position = position_of (parser, parser->token.start);
  Node *operand;

  if (!enter_level (parser, error) || !next_token (parser, error))
    return NULL;
  operand = same_level (parser, error);
  parser->depth--;
  if (operand == NULL)
    return NULL;

  return node_new_unary (kind, position, operand);
}

/* Says whether the current token is an operator of a level, and which. */
typedef gboolean (*MatchFunc) (Parser   *parser,
                               NodeKind *kind,
                               Op       *op);

/* operand { operator operand }, grouped from the left. */
static Node *
parse_binary (Parser     *parser,
              ParseFunc   operand,
              MatchFunc   match,
              GError    **error)
{
  Node *left = operand (parser, error);
  NodeKind kind;
  Op op = 0;

  while (left != NULL && match (parser, &kind, &op))
    {
      guint position = position_of (parser, parser->token.start);
      Node *right;

      if (!next_token (parser, error) || (right = operand (parser, error)) == NULL)
        {
          node_free (left);
          return NULL;
        }
      left = node_new_binary (kind, op, position, left, right);
    }

  return left;
}

static Node *
parse_unary (Parser  *parser,
             GError **error)
{
  if (parser->token.kind == TOKEN_MINUS)
    return parse_prefix (parser, NODE_NEGATE, parse_unary, error);

  return parse_primary (parser, error);
}

static gboolean
match_multiplicative (Parser   *parser,
                      NodeKind *kind,
                      Op       *op)
{
  *kind = NODE_ARITHMETIC;
  *op = parser->token.kind == TOKEN_STAR ? OP_MULTIPLY : OP_DIVIDE;
  return parser->token.kind == TOKEN_STAR || parser->token.kind == TOKEN_SLASH;
}

static Node *
parse_multiplicative (Parser  *parser,
                      GError **error)
{
  return parse_binary (parser, parse_unary, match_multiplicative, error);
}

static gboolean
match_additive (Parser   *parser,
                NodeKind *kind,
                Op       *op)
{
  *kind = NODE_ARITHMETIC;
  *op = parser->token.kind == TOKEN_PLUS ? OP_ADD : OP_SUBTRACT;
  return parser->token.kind == TOKEN_PLUS || parser->token.kind == TOKEN_MINUS;
}

static Node *
parse_additive (Parser  *parser,
                GError **error)
{
  return parse_binary (parser, parse_multiplicative, match_additive, error);
}

static gboolean
token_comparison (TokenKind  kind,
                  Op        *op)
{
  switch (kind)
    {
    case TOKEN_EQUAL:
      *op = OP_EQUAL;
      return TRUE;
    case TOKEN_NOT_EQUAL:
      *op = OP_NOT_EQUAL;
      return TRUE;
    case TOKEN_LESS:
      *op = OP_LESS;
      return TRUE;
    case TOKEN_LESS_EQUAL:
      *op = OP_LESS_EQUAL;
      return TRUE;
    case TOKEN_GREATER:
      *op = OP_GREATER;
      return TRUE;
    case TOKEN_GREATER_EQUAL:
      *op = OP_GREATER_EQUAL;
      return TRUE;
    default:
      return FALSE;
    }
}

static Node *
parse_comparison (Parser  *parser,
                  GError **error)
{
  Node *left = parse_additive (parser, error);
  guint position;
  Node *right;
  Op op;

  if (left == NULL || !token_comparison (parser->token.kind, &op))
    return left;

  position = position_of (parser, parser->token.start);
  if (!next_token (parser, error) || (right = parse_additive (parser, error)) == NULL)
    {
      node_free (left);
      return NULL;
    }

  /* 1 < x < 5 means something else in most languages than it seems to. */
  if (token_comparison (parser->token.kind, &op))
    {
      set_error_at (error, position_of (parser, parser->token.start),
                    _("comparisons cannot be chained; join them with “and”"));
      node_free (left);
      node_free (right);
      return NULL;
    }

  return node_new_binary (NODE_COMPARE, op, position, left, right);
}

static Node *
parse_not (Parser  *parser,
           GError **error)
{
  if (token_is_name (parser, "not"))
    return parse_prefix (parser, NODE_NOT, parse_not, error);

  return parse_comparison (parser, error);
}

static gboolean
match_and (Parser   *parser,
           NodeKind *kind,
           Op       *op)
{
  *kind = NODE_AND;
  return token_is_name (parser, "and");
}

static Node *
parse_and (Parser  *parser,
           GError **error)
{
  return parse_binary (parser, parse_not, match_and, error);
}

static gboolean
match_or (Parser   *parser,
          NodeKind *kind,
          Op       *op)
{
  *kind = NODE_OR;
  return token_is_name (parser, "or");
}

static Node *
parse_or (Parser  *parser,
          GError **error)
{
  Node *node;

  if (!enter_level (parser, error))
    return NULL;
  node = parse_binary (parser, parse_and, match_or, error);
  parser->depth--;

  return node;
}

static void
collect_references (PdmExpr *self,
                    Node    *node)
{
  if (node->kind == NODE_REF)
    {
      if (g_str_equal (node->text, PDM_EXPR_SELF))
        self->uses_self = TRUE;
      else if (!g_strv_contains ((const char * const *) self->references->pdata, node->text))
        g_ptr_array_insert (self->references, self->references->len - 1, g_strdup (node->text));
    }

  for (guint i = 0; i < node->n_args; i++)
    collect_references (self, node->args[i]);
}

/**
 * pdm_expr_parse:
 * @text: the expression, such as `selected(${q3}, 'b') and ${q4} >= 18`
 * @error: return location for a #GError
 *
 * Parses @text once into a tree to evaluate many times. The error names the
 * character where the text stops making sense and why.
 *
 * Returns: (transfer full): the expression, or %NULL with @error set
 */
PdmExpr *
pdm_expr_parse (const char  *text,
                GError     **error)
{
  g_autoptr(PdmExpr) self = NULL;
  Parser parser = { 0, };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_EXPRESSION,
                           _("The expression is not valid UTF-8 text"));
      return NULL;
    }

  self = g_new0 (PdmExpr, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->references = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->references, NULL);

  parser.text = self->text;
  parser.cursor = self->text;

  if (!next_token (&parser, error))
    return NULL;

  if (parser.token.kind == TOKEN_END)
    {
      set_error_at (error, 1, _("the expression is empty"));
      return NULL;
    }

  self->root = parse_or (&parser, error);
  if (self->root != NULL && parser.token.kind != TOKEN_END)
    {
      fail_unexpected (&parser, error);
      g_clear_pointer (&self->root, node_free);
    }
  g_free (parser.token.text);
  if (self->root == NULL)
    return NULL;

  collect_references (self, self->root);

  return g_steal_pointer (&self);
}

PdmExpr *
pdm_expr_ref (PdmExpr *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
pdm_expr_unref (PdmExpr *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->text);
  node_free (self->root);
  g_ptr_array_unref (self->references);
  g_free (self);
}

/**
 * pdm_expr_get_text:
 * @self: a #PdmExpr
 *
 * Returns: the text the expression was parsed from
 */
const char *
pdm_expr_get_text (PdmExpr *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

/**
 * pdm_expr_get_references:
 * @self: a #PdmExpr
 *
 * The questions whose answers the expression reads, to know what to
 * evaluate again when an answer changes.
 *
 * Returns: (array zero-terminated=1) (transfer none): the ids of ${id}
 *   references, each once, in order of first use; "." is not among them
 *   (see pdm_expr_uses_self())
 */
const char * const *
pdm_expr_get_references (PdmExpr *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->references->pdata;
}

/**
 * pdm_expr_uses_self:
 * @self: a #PdmExpr
 *
 * Returns: whether the expression reads "." (the answer of its own question)
 */
gboolean
pdm_expr_uses_self (PdmExpr *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->uses_self;
}

/* --- checker ---------------------------------------------------------- */

/* Operand @index of an operator cannot be of @actual types. The checker and
 * the evaluator say the same words for the same mistake. */
static void
fail_operand (Node         *node,
              guint         index,
              PdmExprType   actual,
              GError      **error)
{
  guint position = node->args[index]->position;
  const char *type_name = pdm_expr_type_to_string (actual);

  switch (node->kind)
    {
    case NODE_NEGATE:
      set_error_at (error, position, _("“%s” works on numbers, not on %s"), "-", type_name);
      break;
    case NODE_ARITHMETIC:
      /* Translators: an arithmetic operator of a form expression got a value
       * that is not a number: the operator, then the type */
      set_error_at (error, position, _("“%s” works on numbers, not on %s"),
                    op_symbols[node->op], type_name);
      break;
    case NODE_NOT:
    case NODE_AND:
    case NODE_OR:
      set_error_at (error, position, _("“%s” needs a condition (true or false), not %s"),
                    node->kind == NODE_NOT ? "not" : node->kind == NODE_AND ? "and" : "or",
                    type_name);
      break;
    case NODE_COMPARE:
      set_error_at (error, position, _("“%s” compares numbers or texts, not %s"),
                    op_symbols[node->op], type_name);
      break;
    default:
      g_assert_not_reached ();
    }
}

static PdmExprType
check_node (Checker  *checker,
            Node     *node,
            GError  **error)
{
  PdmExprType types[2] = { 0, };

  switch (node->kind)
    {
    case NODE_LITERAL:
      return node->value.type;

    case NODE_REF:
      {
        g_autoptr(GError) reason = NULL;
        const char * const *options = NULL;
        PdmExprType type = 0;

        if (!checker->resolve (node->text, &type, &options, checker->user_data, &reason))
          {
            set_error_at (error, node->position, "%s", reason->message);
            return 0;
          }
        return type | PDM_EXPR_TYPE_NULL;
      }

    case NODE_CALL:
      {
        g_autofree PdmExprType *arg_types = g_new0 (PdmExprType, node->n_args);

        for (guint i = 0; i < node->n_args; i++)
          if ((arg_types[i] = check_node (checker, node->args[i], error)) == 0)
            return 0;

        return node->function->check (checker, node, arg_types, error);
      }

    default:
      break;
    }

  for (guint i = 0; i < node->n_args; i++)
    if ((types[i] = check_node (checker, node->args[i], error)) == 0)
      return 0;

  switch (node->kind)
    {
    case NODE_NEGATE:
    case NODE_ARITHMETIC:
      for (guint i = 0; i < node->n_args; i++)
        if (!types_fit (types[i], PDM_EXPR_TYPE_NUMBER))
          {
            fail_operand (node, i, types[i], error);
            return 0;
          }
      return PDM_EXPR_TYPE_NUMBER | PDM_EXPR_TYPE_NULL;

    case NODE_NOT:
    case NODE_AND:
    case NODE_OR:
      for (guint i = 0; i < node->n_args; i++)
        if (!types_fit (types[i], PDM_EXPR_TYPE_BOOLEAN))
          {
            fail_operand (node, i, types[i], error);
            return 0;
          }
      return PDM_EXPR_TYPE_BOOLEAN | PDM_EXPR_TYPE_NULL;

    case NODE_COMPARE:
      if (node->op == OP_EQUAL || node->op == OP_NOT_EQUAL)
        {
          PdmExprType left = types[0] & ~PDM_EXPR_TYPE_NULL;
          PdmExprType right = types[1] & ~PDM_EXPR_TYPE_NULL;

          /* ${q1} = 1 for a choice question whose values are texts is
           * always false: refuse it rather than hide a question forever. */
          if (left != 0 && right != 0 && (left & right) == 0)
            {
              g_autofree char *left_name = g_strdup (pdm_expr_type_to_string (left));

              set_error_at (error, node->position, _("%s is never equal to %s"),
                            left_name, pdm_expr_type_to_string (right));
              return 0;
            }
          if (!check_option_literal (checker, node->args[0], node->args[1], error) ||
              !check_option_literal (checker, node->args[1], node->args[0], error))
            return 0;
          return PDM_EXPR_TYPE_BOOLEAN;
        }

      for (guint i = 0; i < 2; i++)
        if (!types_fit (types[i], PDM_EXPR_TYPE_NUMBER | PDM_EXPR_TYPE_STRING))
          {
            fail_operand (node, i, types[i], error);
            return 0;
          }
      if ((types[0] & ~PDM_EXPR_TYPE_NULL) != 0 && (types[1] & ~PDM_EXPR_TYPE_NULL) != 0 &&
          (types[0] & types[1] & (PDM_EXPR_TYPE_NUMBER | PDM_EXPR_TYPE_STRING)) == 0)
        {
          g_autofree char *left_name = g_strdup (pdm_expr_type_to_string (types[0]));

          set_error_at (error, node->position, _("%s cannot be compared with %s"),
                        left_name, pdm_expr_type_to_string (types[1]));
          return 0;
        }
      return PDM_EXPR_TYPE_BOOLEAN | PDM_EXPR_TYPE_NULL;

    default:
      g_assert_not_reached ();
    }
}

/**
 * pdm_expr_check:
 * @self: a #PdmExpr
 * @resolve: (scope call): says what each reference stands for
 * @user_data: data for @resolve
 * @error: return location for a #GError
 *
 * Checks the types of the expression without answers, as a form is loaded:
 * a reference that @resolve refuses, arithmetic on a text, a condition that
 * is a number, a comparison that can never be true (a text with a number),
 * a literal that is not an option of the choice question it is compared
 * with. What is left to go wrong at evaluation is rare (an if() whose
 * branches differ in type, used in arithmetic).
 *
 * Returns: the types the expression can give, or 0 with @error set
 */
PdmExprType
pdm_expr_check (PdmExpr             *self,
                PdmExprResolveFunc   resolve,
                gpointer             user_data,
                GError             **error)
{
  Checker checker = { resolve, user_data };

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (resolve != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return check_node (&checker, self->root, error);
}

/* --- evaluator -------------------------------------------------------- */

static gboolean
value_from_node (Node      *reference,
                 JsonNode  *json,
                 Value     *out,
                 GError   **error)
{
  memset (out, 0, sizeof *out);
  out->type = PDM_EXPR_TYPE_NULL;

  if (json == NULL || JSON_NODE_HOLDS_NULL (json))
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (json))
    {
      GType type = json_node_get_value_type (json);

      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        {
          out->type = PDM_EXPR_TYPE_NUMBER;
          out->number = json_node_get_double (json);
          return TRUE;
        }
      if (type == G_TYPE_BOOLEAN)
        {
          out->type = PDM_EXPR_TYPE_BOOLEAN;
          out->boolean = json_node_get_boolean (json);
          return TRUE;
        }
      if (type == G_TYPE_STRING)
        {
          out->type = PDM_EXPR_TYPE_STRING;
          out->string = json_node_get_string (json);
          return TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (json))
    {
      JsonArray *list = json_node_get_array (json);
      guint n = json_array_get_length (list);
      gboolean strings = TRUE;

      for (guint i = 0; i < n && strings; i++)
        {
          JsonNode *element = json_array_get_element (list, i);

          strings = JSON_NODE_HOLDS_VALUE (element) &&
                    json_node_get_value_type (element) == G_TYPE_STRING;
        }
      if (strings)
        {
          out->type = PDM_EXPR_TYPE_LIST;
          out->list = list;
          return TRUE;
        }
    }

  set_error_at (error, reference->position,
                _("the answer of “%s” is not a number, a text, true or false, or a list of "
                  "options"),
                reference->text);
  return FALSE;
}

/* Numbers that agree to about 12 significant digits are equal, so that
 * 0.1 + 0.2 = 0.3 holds as a person expects. */
static gboolean
numbers_equal (double a,
               double b)
{
  return fabs (a - b) <= 1e-12 * MAX (1.0, MAX (fabs (a), fabs (b)));
}

static gboolean
lists_equal (JsonArray *a,
             JsonArray *b)
{
  guint n_a = json_array_get_length (a);
  guint n_b = json_array_get_length (b);

  /* The options chosen, in whatever order they were ticked. */
  for (guint i = 0; i < n_a; i++)
    if (!list_contains (b, json_array_get_string_element (a, i)))
      return FALSE;
  for (guint i = 0; i < n_b; i++)
    if (!list_contains (a, json_array_get_string_element (b, i)))
      return FALSE;

  return TRUE;
}

static gboolean
values_equal (const Value *a,
              const Value *b)
{
  if (a->type != b->type)
    return FALSE;

  switch (a->type)
    {
    case PDM_EXPR_TYPE_NULL:
      return TRUE;
    case PDM_EXPR_TYPE_NUMBER:
      return numbers_equal (a->number, b->number);
    case PDM_EXPR_TYPE_STRING:
      return g_str_equal (a->string, b->string);
    case PDM_EXPR_TYPE_BOOLEAN:
      return !a->boolean == !b->boolean;
    case PDM_EXPR_TYPE_LIST:
      return lists_equal (a->list, b->list);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
evaluate_operand (Evaluator    *evaluator,
                  Node         *node,
                  guint         index,
                  PdmExprType   wanted,
                  Value        *out,
                  GError      **error)
{
  if (!evaluate_node (evaluator, node->args[index], out, error))
    return FALSE;

  if (!types_fit (out->type, wanted))
    {
      fail_operand (node, index, out->type, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
evaluate_arithmetic (Evaluator  *evaluator,
                     Node       *node,
                     Value      *out,
                     GError    **error)
{
  Value operands[2];

  for (guint i = 0; i < node->n_args; i++)
    if (!evaluate_operand (evaluator, node, i, PDM_EXPR_TYPE_NUMBER, &operands[i], error))
      return FALSE;

  /* What is not answered yet has no total either. */
  for (guint i = 0; i < node->n_args; i++)
    if (operands[i].type == PDM_EXPR_TYPE_NULL)
      {
        out->type = PDM_EXPR_TYPE_NULL;
        return TRUE;
      }

  out->type = PDM_EXPR_TYPE_NUMBER;
  if (node->kind == NODE_NEGATE)
    {
      out->number = -operands[0].number;
      return TRUE;
    }

  switch (node->op)
    {
    case OP_ADD:
      out->number = operands[0].number + operands[1].number;
      break;
    case OP_SUBTRACT:
      out->number = operands[0].number - operands[1].number;
      break;
    case OP_MULTIPLY:
      out->number = operands[0].number * operands[1].number;
      break;
    case OP_DIVIDE:
      /* An average over nothing has no value; it is not a broken form. */
      if (operands[1].number == 0)
        {
          out->type = PDM_EXPR_TYPE_NULL;
          return TRUE;
        }
      out->number = operands[0].number / operands[1].number;
      break;
    default:
      g_assert_not_reached ();
    }

  if (!isfinite (out->number))
    {
      set_error_at (error, node->position, _("the result is too large a number"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
evaluate_logic (Evaluator  *evaluator,
                Node       *node,
                Value      *out,
                GError    **error)
{
  /* "and" stops at false, "or" at true; an unknown (null) side decides
   * nothing, as in SQL. */
  gboolean decisive = node->kind == NODE_OR;
  gboolean unknown = FALSE;
  Value operand;

  if (node->kind == NODE_NOT)
    {
      if (!evaluate_operand (evaluator, node, 0, PDM_EXPR_TYPE_BOOLEAN, &operand, error))
        return FALSE;
      out->type = operand.type;
      out->boolean = !operand.boolean;
      return TRUE;
    }

  for (guint i = 0; i < 2; i++)
    {
      if (!evaluate_operand (evaluator, node, i, PDM_EXPR_TYPE_BOOLEAN, &operand, error))
        return FALSE;

      if (operand.type == PDM_EXPR_TYPE_NULL)
        unknown = TRUE;
      else if (!operand.boolean == !decisive)
        {
          out->type = PDM_EXPR_TYPE_BOOLEAN;
          out->boolean = decisive;
          return TRUE;
        }
    }

  out->type = unknown ? PDM_EXPR_TYPE_NULL : PDM_EXPR_TYPE_BOOLEAN;
  out->boolean = !decisive;

  return TRUE;
}

static gboolean
evaluate_compare (Evaluator  *evaluator,
                  Node       *node,
                  Value      *out,
                  GError    **error)
{
  Value left, right;
  int order;

  if (node->op == OP_EQUAL || node->op == OP_NOT_EQUAL)
    {
      if (!evaluate_node (evaluator, node->args[0], &left, error) ||
          !evaluate_node (evaluator, node->args[1], &right, error))
        return FALSE;

      out->type = PDM_EXPR_TYPE_BOOLEAN;
      out->boolean = values_equal (&left, &right) == (node->op == OP_EQUAL);
      return TRUE;
    }

  if (!evaluate_operand (evaluator, node, 0, PDM_EXPR_TYPE_NUMBER | PDM_EXPR_TYPE_STRING,
                         &left, error) ||
      !evaluate_operand (evaluator, node, 1, PDM_EXPR_TYPE_NUMBER | PDM_EXPR_TYPE_STRING,
                         &right, error))
    return FALSE;

  if (left.type == PDM_EXPR_TYPE_NULL || right.type == PDM_EXPR_TYPE_NULL)
    {
      out->type = PDM_EXPR_TYPE_NULL;
      return TRUE;
    }

  if (left.type != right.type)
    {
      g_autofree char *left_name = g_strdup (pdm_expr_type_to_string (left.type));

      set_error_at (error, node->position, _("%s cannot be compared with %s"),
                    left_name, pdm_expr_type_to_string (right.type));
      return FALSE;
    }

  /* Texts compare by code point, which orders dates written YYYY-MM-DD. */
  if (left.type == PDM_EXPR_TYPE_NUMBER)
    order = numbers_equal (left.number, right.number) ? 0 : left.number < right.number ? -1 : 1;
  else
    order = strcmp (left.string, right.string);

  out->type = PDM_EXPR_TYPE_BOOLEAN;
  switch (node->op)
    {
    case OP_LESS:
      out->boolean = order < 0;
      break;
    case OP_LESS_EQUAL:
      out->boolean = order <= 0;
      break;
    case OP_GREATER:
      out->boolean = order > 0;
      break;
    case OP_GREATER_EQUAL:
      out->boolean = order >= 0;
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static gboolean
evaluate_node (Evaluator  *evaluator,
               Node       *node,
               Value      *out,
               GError    **error)
{
  switch (node->kind)
    {
    case NODE_LITERAL:
      *out = node->value;
      return TRUE;
    case NODE_REF:
      return value_from_node (node, evaluator->lookup (node->text, evaluator->user_data),
                              out, error);
    case NODE_NEGATE:
    case NODE_ARITHMETIC:
      return evaluate_arithmetic (evaluator, node, out, error);
    case NODE_NOT:
    case NODE_AND:
    case NODE_OR:
      return evaluate_logic (evaluator, node, out, error);
    case NODE_COMPARE:
      return evaluate_compare (evaluator, node, out, error);
    case NODE_CALL:
      return node->function->evaluate (evaluator, node, out, error);
    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
value_to_node (const Value *value)
{
  JsonNode *node;

  switch (value->type)
    {
    case PDM_EXPR_TYPE_NULL:
      return json_node_new (JSON_NODE_NULL);

    case PDM_EXPR_TYPE_NUMBER:
      node = json_node_new (JSON_NODE_VALUE);
      /* Whole numbers stay whole in the stored JSON: 3, not 3.0. */
      if (value->number == floor (value->number) && fabs (value->number) < 9007199254740992.0)
        json_node_set_int (node, (gint64) value->number);
      else
        json_node_set_double (node, value->number);
      return node;

    case PDM_EXPR_TYPE_STRING:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, value->string);
      return node;

    case PDM_EXPR_TYPE_BOOLEAN:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, value->boolean);
      return node;

    case PDM_EXPR_TYPE_LIST:
      {
        JsonArray *copy = json_array_new ();
        guint n = json_array_get_length (value->list);

        for (guint i = 0; i < n; i++)
          json_array_add_string_element (copy, json_array_get_string_element (value->list, i));
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, copy);
        return node;
      }

    default:
      g_assert_not_reached ();
    }
}

/**
 * pdm_expr_evaluate:
 * @self: a #PdmExpr
 * @lookup: (scope call): gives the answer a reference stands for
 * @user_data: data for @lookup
 * @error: return location for a #GError
 *
 * Evaluates the expression against answers. Unanswered questions are null;
 * arithmetic and ordering comparisons with null give null, "=" treats null
 * as a value of its own, "and"/"or" use three-valued logic, and a division
 * by zero gives null rather than an error (docs/forms.md).
 *
 * Returns: (transfer full): the value, a JSON null node for null, or %NULL
 *   with @error set when a value has the wrong type
 */
JsonNode *
pdm_expr_evaluate (PdmExpr            *self,
                   PdmExprLookupFunc   lookup,
                   gpointer            user_data,
                   GError            **error)
{
  Evaluator evaluator = { lookup, user_data };
  Value value;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (lookup != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!evaluate_node (&evaluator, self->root, &value, error))
    return NULL;

  return value_to_node (&value);
}
