# tests/common_proto.cmake -- unit tests of the protocol library: UTF-8, line framing, messages, the players' palette, the decoder's cJSON arena, the
# Unicode rules for names
nine43_add_test(test_utf8 SOURCES test_utf8.c)
nine43_add_test(test_linebuf SOURCES test_linebuf.c)
nine43_add_test(test_proto SOURCES test_proto.c)
nine43_add_test(test_palette SOURCES test_palette.c)
nine43_add_test(test_json_arena SOURCES test_json_arena.c)
nine43_add_test(test_name SOURCES test_name.c)
