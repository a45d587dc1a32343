"""The policy expression language: parse, type-check, compile to Polars, render in Chinese.

A small, safe language (no Python ``eval``)::

    expr    := 'if' expr 'then' expr 'else' expr | or
    or      := and ('or' and)*          and := not ('and' not)*
    not     := 'not' not | cmp
    cmp     := sum [('<'|'<='|'>'|'>='|'=='|'!=') sum] | sum ['not'] 'in' set
    sum     := term (('+'|'-') term)*   term := unary (('*'|'/') unary)*
    unary   := '-' unary | atom
    atom    := NUMBER ['%'] | STRING | 'true' | 'false' | NAME | NAME '(' args ')'
             | '(' expr ')' | '{' STRING (',' STRING)* '}'

Names are fields of the input data, derived variables or parameters (dotted, e.g.
``rate.sme``). Functions: ``min``, ``max``, ``abs``, ``coalesce``, ``known``.
"""
