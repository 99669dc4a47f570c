# edigate - one non-recursive Makefile (STYLE.md rule 19).
#
#   make                 release binary ./edigate (build/release/)
#   make check           install what is missing, build with ASan+UBSan,
#                        run every test
#   make demo            install what is missing, build, run the demo
#   make lint            clang-format and the banned-function check
#   make bench           benchmark figures (release build)
#   make fuzz            libFuzzer on the scanner and envelope (clang)
#   make fuzz-as2        libFuzzer on the AS2 MIME, CMS and MDN readers
#   make install         PREFIX=/usr/local DESTDIR=
#
# BUILD=debug|asan|release selects build/$(BUILD)/.

BUILD ?= release
PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 60

CC ?= cc
ifeq ($(origin CC),default)
CC = gcc
endif
PKG_CONFIG ?= pkg-config

B := build/$(BUILD)

WARN := -Wall -Wextra -Werror -Wshadow -Wswitch-enum -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla
STD := -std=c11 -D_POSIX_C_SOURCE=200809L
INC := -Icommon -Itranslator -Imft -Ispool
TEST_INC := -Itests

ifeq ($(BUILD),release)
OPT := -O2 -g
else ifeq ($(BUILD),debug)
OPT := -O0 -g3
else ifeq ($(BUILD),asan)
OPT := -O1 -g3 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
else
$(error BUILD must be debug, asan or release, not '$(BUILD)')
endif

CFLAGS_ALL := $(STD) $(WARN) $(OPT) $(INC) $(PKG_CFLAGS) \
	-DEDIGATE_DATADIR='"$(PREFIX)/share/edigate"' $(CFLAGS)
LDFLAGS_ALL := $(filter -fsanitize=%,$(OPT)) $(LDFLAGS)
PKGS := yaml-0.1 libpcre2-8 jansson libcrypto sqlite3 libssh2 libcurl \
	libmicrohttpd zlib
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

# --- sources, listed (not globbed) ---

COMMON_SRC := \
	common/arena.c \
	common/buf.c \
	common/edi_error.c \
	common/fileio.c \
	common/json_out.c \
	common/log.c \
	common/strview.c \
	common/xalloc.c \
	common/yaml_doc.c

TRANSLATOR_SRC := \
	translator/ack.c \
	translator/dec.c \
	translator/flat_map.c \
	translator/map_check.c \
	translator/map_check_prep.c \
	translator/map_check_slow.c \
	translator/map_compile.c \
	translator/map_defs.c \
	translator/map_exec.c \
	translator/map_exec_eval.c \
	translator/map_exec_json.c \
	translator/map_exec_plan.c \
	translator/map_exec_value.c \
	translator/map_fields.c \
	translator/map_guide.c \
	translator/map_guide_hl.c \
	translator/map_load.c \
	translator/map_merge.c \
	translator/map_outbound.c \
	translator/map_path.c \
	translator/map_pipe.c \
	translator/map_rules.c \
	translator/map_tree.c \
	translator/map_xform.c \
	translator/map_xform_num.c \
	translator/map_yaml.c \
	translator/rec_csv.c \
	translator/rec_csv_cols.c \
	translator/rec_find.c \
	translator/rec_json.c \
	translator/rec_json_names.c \
	translator/rec_value.c \
	translator/x12_ctlset.c \
	translator/x12_delims.c \
	translator/x12_element.c \
	translator/x12_emit.c \
	translator/x12_emit_ix.c \
	translator/x12_emit_seg.c \
	translator/x12_emit_tree.c \
	translator/x12_emit_value.c \
	translator/x12_envelope.c \
	translator/x12_scan.c \
	translator/x12_scan_fast.c \
	translator/x12_scan_batch.c \
	translator/x12_set.c \
	translator/x12_hl_index.c \
	translator/x12_translate.c \
	translator/x12_types.c \
	translator/x12_write.c

# mft/: transports (SFTP, AS2, REST), retry policy, circuit breaker
MFT_SRC := \
	mft/as2_cms.c \
	mft/as2_mdn.c \
	mft/as2_mime.c \
	mft/as2_msg.c \
	mft/as2_send.c \
	mft/as2_serve.c \
	mft/breaker.c \
	mft/rest_push.c \
	mft/retry.c \
	mft/sftp_conn.c \
	mft/sftp_file.c \
	mft/sftp_key.c \
	mft/sftp_select.c

SPOOL_SRC := \
	spool/ack_match.c \
	spool/acks.c \
	spool/acks_report.c \
	spool/cli.c \
	spool/cmd_ack.c \
	spool/cmd_emit.c \
	spool/cmd_ops.c \
	spool/cmd_status.c \
	spool/cmd_partners.c \
	spool/cmd_run.c \
	spool/cmd_serve.c \
	spool/cmd_translate.c \
	spool/cmd_transfer.c \
	spool/cmd_validate.c \
	spool/config.c \
	spool/config_rest.c \
	spool/deliver_rest.c \
	spool/journal.c \
	spool/journal_ops.c \
	spool/journal_sets.c \
	spool/journal_outbound.c \
	spool/journal_sftp.c \
	spool/journal_as2.c \
	spool/journal_transfer.c \
	spool/outbound_emit.c \
	spool/outbound_erp.c \
	spool/outbox.c \
	spool/pipeline.c \
	spool/pipeline_entry.c \
	spool/pipeline_hooks.c \
	spool/profile_as2.c \
	spool/profile_parse.c \
	spool/profile_sftp.c \
	spool/profile_x12.c \
	spool/receive_as2.c \
	spool/registry.c \
	spool/rest_queue.c \
	spool/rest_secret.c \
	spool/rest_table.c \
	spool/report.c \
	spool/spool_layout.c \
	spool/spool_lock.c \
	spool/spool_meta.c \
	spool/spool_move.c \
	spool/spool_outbound.c \
	spool/spool_receive.c \
	spool/spool_tidy.c \
	spool/transfer_as2.c \
	spool/transfer_sftp.c \
	spool/transfer_sftp_push.c

MAIN_SRC := spool/main.c

LIB_SRC := $(COMMON_SRC) $(TRANSLATOR_SRC) $(MFT_SRC) $(SPOOL_SRC)

TEST_SRC := \
	tests/test_main.c \
	tests/x12_fixture.c \
	tests/rec_fixture.c \
	tests/common/test_buf.c \
	tests/common/test_fileio.c \
	tests/common/test_json_out.c \
	tests/common/test_log.c \
	tests/common/test_yaml_doc.c \
	tests/translator/test_dec.c \
	tests/translator/test_map_exec.c \
	tests/translator/test_x12_emit.c \
	tests/translator/test_map_check.c \
	tests/translator/test_map_guide.c \
	tests/translator/test_map_load.c \
	tests/translator/test_map_rules.c \
	tests/translator/test_rules_fast.c \
	tests/translator/test_map_xform.c \
	tests/translator/test_rec_csv.c \
	tests/translator/test_rec_json.c \
	tests/translator/test_rec_json_fast.c \
	tests/translator/test_rec_value.c \
	tests/translator/test_x12_envelope.c \
	tests/translator/test_x12_scan.c \
	tests/translator/test_x12_ctlset.c \
	tests/translator/test_x12_scan_fast.c \
	tests/translator/test_x12_ctl_free.c \
	tests/translator/test_x12_translate.c \
	tests/translator/test_fastpath.c \
	tests/translator/test_guide_walk.c \
	tests/translator/test_exec_fast.c \
	tests/translator/test_exec_json.c \
	tests/translator/test_x12_types.c \
	tests/translator/test_x12_write.c \
	tests/spool/test_journal.c \
	tests/spool/test_spool.c \
	tests/mft/test_as2.c \
	tests/spool/test_profile_as2.c \
	tests/mft/test_retry.c \
	tests/mft/test_breaker.c \
	tests/spool/test_config_rest.c \
	tests/mft/test_sftp.c \
	tests/spool/test_profile_sftp.c \
	tests/spool/test_journal_sftp.c

FUZZ_SRC := tests/fuzz/fuzz_x12.c
FUZZ_AS2_SRC := tests/fuzz/fuzz_as2.c
FUZZ_TRANSLATE_SRC := tests/fuzz/fuzz_translate.c

LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(B)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)

CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

.PHONY: all check unit integration corpus lint format bench fuzz demo install \
	clean bootstrap FORCE

all: edigate

# --- flags stamp: objects rebuild when the flags change ---

$(B)/.flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL)' > $@

# V=1 shows the commands
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

$(B)/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS_ALL) $(TEST_INC) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libedigate.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(call say,AR,$@)ar rcs $@ $^

$(B)/edigate: $(MAIN_OBJ) $(B)/libedigate.a
	$(call say,LINK,$@)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(B)/gen-x12: scripts/gen-x12.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(STD) $(WARN) -O2 -o $@ $<

$(B)/unit-tests: $(TEST_OBJ) $(B)/libedigate.a
	$(call say,LINK,$@)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS) $(CHECK_LIBS)

edigate: $(B)/edigate
	$(Q)cp $< $@

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

# --- set-up ---

bootstrap:
	@scripts/bootstrap

# --- tests: everything under ASan and UBSan ---

check: bootstrap
	@$(MAKE) --no-print-directory BUILD=asan check-run

.PHONY: check-run
check-run: $(B)/edigate $(B)/unit-tests $(B)/gen-x12
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	scripts/run-tests $(B)

# --- lint ---

LINT_SRC := $(LIB_SRC) $(MAIN_SRC) $(TEST_SRC) $(FUZZ_SRC) $(FUZZ_AS2_SRC) \
	$(FUZZ_TRANSLATE_SRC) scripts/gen-x12.c
BANNED := strcpy|strcat|v?sprintf|strtok|atoi|atol|gets|gmtime|localtime|mktemp|system

lint:
	$(Q)clang-format --dry-run -Werror $(LINT_SRC) $(wildcard common/*.h \
		translator/*.h spool/*.h mft/*.h tests/*.h)
	@if grep -nE '\b($(BANNED))\(' $(LIB_SRC) $(MAIN_SRC) \
		$(wildcard common/*.h translator/*.h spool/*.h mft/*.h) \
		scripts/gen-x12.c; then \
		echo 'lint: banned functions above (STYLE.md rule 13)'; \
		exit 1; \
	fi
	@echo 'lint: ok'

format:
	clang-format -i $(LINT_SRC) $(wildcard common/*.h translator/*.h \
		spool/*.h mft/*.h tests/*.h)

# --- benchmark (release build) ---

bench: bootstrap
	@$(MAKE) --no-print-directory BUILD=release build/release/edigate \
		build/release/gen-x12
	@scripts/bench build/release

# --- fuzzing (clang libFuzzer, ASan+UBSan) ---

FUZZ_B := build/fuzz
FUZZ_CFLAGS := $(STD) $(WARN) -O1 -g $(INC) -fsanitize=fuzzer,address,undefined

$(FUZZ_B)/fuzz_x12: $(FUZZ_SRC) $(COMMON_SRC) $(TRANSLATOR_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $^ $(LIBS)

fuzz: bootstrap $(FUZZ_B)/fuzz_x12
	@scripts/fuzz $(FUZZ_B)/fuzz_x12 $(FUZZ_SECONDS)

# the whole translation with the shipped maps (same corpus as fuzz_x12)
$(FUZZ_B)/fuzz_translate: $(FUZZ_TRANSLATE_SRC) $(COMMON_SRC) $(TRANSLATOR_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -DFUZZ_MAPS_DIR='"$(CURDIR)/maps/x12"' -o $@ $^ $(LIBS)

.PHONY: fuzz-translate
fuzz-translate: bootstrap $(FUZZ_B)/fuzz_translate
	@scripts/fuzz $(FUZZ_B)/fuzz_translate $(FUZZ_SECONDS)

# what an AS2 peer controls: MIME, CMS layers, MDNs (corpus in var/)
$(FUZZ_B)/fuzz_as2: $(FUZZ_AS2_SRC) $(COMMON_SRC) $(filter mft/as2_%,$(MFT_SRC))
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $^ $(LIBS)

.PHONY: fuzz-as2
fuzz-as2: bootstrap $(FUZZ_B)/fuzz_as2
	@mkdir -p var/fuzz-as2/corpus
	@cd var/fuzz-as2 && ../../$(FUZZ_B)/fuzz_as2 -max_total_time=$(FUZZ_SECONDS) \
		-max_len=8192 -print_final_stats=1 corpus 2>&1 | tail -8

# --- demo ---

demo: bootstrap
	@$(MAKE) --no-print-directory BUILD=release edigate
	@scripts/demo

# --- install ---

install: edigate
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/edigate \
		$(DESTDIR)$(PREFIX)/share/edigate/maps/x12 \
		$(DESTDIR)$(PREFIX)/share/edigate/maps/flat \
		$(DESTDIR)$(PREFIX)/share/edigate/partners
	install -m 755 edigate $(DESTDIR)$(PREFIX)/bin/edigate
	install -m 644 maps/x12/*.yaml $(DESTDIR)$(PREFIX)/share/edigate/maps/x12/
	install -m 644 maps/flat/*.yaml $(DESTDIR)$(PREFIX)/share/edigate/maps/flat/
	install -m 644 partners/*.yaml $(DESTDIR)$(PREFIX)/share/edigate/partners/
	install -m 644 edigate.yaml.sample $(DESTDIR)$(PREFIX)/share/edigate/edigate.yaml.sample
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/edigate/

clean:
	rm -rf build edigate
