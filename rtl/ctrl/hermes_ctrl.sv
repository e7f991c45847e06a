// SPDX-License-Identifier: MIT
// The command side of BAR0 (0x1000-0x3FFF): decodes the per-engine
// register windows onto one command processor per engine and shares one
// slot allocator between them. Engine control ports are flattened arrays,
// engine e in slice e.
module hermes_ctrl #(
  parameter int unsigned NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAX_INSNS       = hermes_pkg::DEFAULT_MAX_INSNS
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  // Register bus (hermes_axil_regbus): the address holds from the clock
  // before reg_req_i; the answer is in the clock of reg_req_i.
  input  logic                      reg_req_i,
  input  logic                      reg_we_i,
  input  logic [15:0]               reg_addr_i,
  input  logic [31:0]               reg_wdata_i,
  input  logic [3:0]                reg_wstrb_i,
  output logic                      reg_hit_o,
  output logic [31:0]               reg_rdata_o,
  output logic                      reg_err_o,

  output logic [NUM_ENGINES-1:0]    eng_start_o,
  output logic [NUM_ENGINES*8-1:0]  eng_prog_slot_o,
  output logic [NUM_ENGINES*8-1:0]  eng_data_slot_o,
  output logic [NUM_ENGINES*32-1:0] eng_prog_len_o,
  output logic [NUM_ENGINES*32-1:0] eng_data_len_o,
  output logic [NUM_ENGINES*32-1:0] eng_max_insns_o,
  output logic [NUM_ENGINES-1:0]    eng_abort_o,
  input  logic [NUM_ENGINES-1:0]    eng_busy_i,
  input  logic [NUM_ENGINES-1:0]    eng_done_i,
  input  logic [NUM_ENGINES*4-1:0]  eng_fault_cause_i,
  input  logic [NUM_ENGINES*32-1:0] eng_fault_pc_i,
  input  logic [NUM_ENGINES*64-1:0] eng_fault_addr_i,
  input  logic [NUM_ENGINES*64-1:0] eng_r0_i,
  input  logic [NUM_ENGINES*64-1:0] eng_insns_i,
  input  logic [NUM_ENGINES*64-1:0] eng_cycles_i,

  output logic [NUM_ENGINES-1:0]    irq_o,

  // Slot scrubber (rtl/mem/hermes_slot_scrub.sv).
  output logic [NUM_PROG_SLOTS-1:0] prog_release_o,
  output logic [NUM_DATA_SLOTS-1:0] data_release_o,
  output logic [NUM_PROG_SLOTS-1:0] prog_want_o,
  output logic [NUM_DATA_SLOTS-1:0] data_want_o,
  input  logic [NUM_PROG_SLOTS-1:0] prog_dirty_i,
  input  logic [NUM_DATA_SLOTS-1:0] data_dirty_i,

  // The queue dispatcher: engines it holds, command processors at work,
  // and its own port on the slot allocator (data slots only).
  input  logic [NUM_ENGINES-1:0]    eng_claimed_i,
  output logic [NUM_ENGINES-1:0]    cmd_busy_o,
  input  logic                      q_alloc_req_i,
  input  logic                      q_alloc_release_i,
  input  logic [7:0]                q_alloc_slot_i,
  output logic                      q_alloc_ack_o,
  output logic                      q_alloc_ok_o,
  output logic [7:0]                q_alloc_slot_o,
  output logic [NUM_PROG_SLOTS-1:0] prog_used_o
);

  // Address decode: which engine, which region, which word. The windows
  // are fixed, so the decode is a table indexed by the address bits inside
  // each region's page, built at elaboration, instead of a range compare per
  // window: yosys makes the compares carry chains in series, and this
  // decode is on the path from a register write to a command processor's
  // state (docs/AREA.md). An entry: {engine[3:0], hit, region[1:0], word[3:0]}.
  // The decode is registered every clock: the register bus holds an
  // access's address for a clock before its request (hermes_axil_regbus),
  // so the request meets the decode of its own address, and a command
  // processor acts on registered state.
  localparam int unsigned ReqBase    = hermes_pkg::EHCMDREQ_BASE;
  localparam int unsigned ReqStride  = hermes_pkg::EHCMDREQ_STRIDE;
  localparam int unsigned ReqLen     = hermes_pkg::EHCMDREQ_LEN;
  localparam int unsigned ResBase    = hermes_pkg::EHCMDRES_BASE;
  localparam int unsigned ResStride  = hermes_pkg::EHCMDRES_STRIDE;
  localparam int unsigned ResLen     = hermes_pkg::EHCMDRES_LEN;
  localparam int unsigned CtrlBase   = hermes_pkg::EHCMDCTRL_BASE;
  localparam int unsigned CtrlStride = hermes_pkg::EHCMDCTRL_STRIDE;
  localparam int unsigned StatBase   = hermes_pkg::EHENGSTAT_BASE;
  localparam int unsigned StatStride = hermes_pkg::EHENGSTAT_STRIDE;
  // Each region's windows lie in the first 1 KiB of one 4 KiB page (16
  // engines at most): 256 words once bits 15:12 have chosen the page and
  // bits 11:10 are zero. A page's table has an entry per granule, the
  // largest power-of-two run of words that every window of the page starts
  // and ends on, so an entry is a function of at most 7 address bits.
  localparam int unsigned TableWords = 256;
  localparam int unsigned EntryW     = 11;

  // The largest power of two (at most TableWords) that divides x words.
  function automatic int unsigned align_words(int unsigned x);
    int unsigned g;
    g = TableWords;
    while (g > 1 && x % g != 0) g = g / 2;
    align_words = g;
  endfunction

  function automatic int unsigned min3(int unsigned a, int unsigned b, int unsigned c);
    min3 = a < b ? (a < c ? a : c) : (b < c ? b : c);
  endfunction

  localparam int unsigned ReqResGranule =
    min3(min3(align_words((ReqBase % 4096) / 4), align_words(ReqStride / 4), align_words(ReqLen / 4)),
         min3(align_words((ResBase % 4096) / 4), align_words(ResStride / 4), align_words(ResLen / 4)),
         TableWords);
  localparam int unsigned CtrlGranule =
    min3(align_words((CtrlBase % 4096) / 4), align_words(CtrlStride / 4), TableWords);
  localparam int unsigned StatGranule =
    min3(align_words((StatBase % 4096) / 4), align_words(StatStride / 4), TableWords);
  localparam int unsigned ReqResShift = $clog2(ReqResGranule);
  localparam int unsigned CtrlShift   = $clog2(CtrlGranule);
  localparam int unsigned StatShift   = $clog2(StatGranule);

  // The decode of the first word of each granule in the first 1 KiB of the
  // page at page_base, for whichever region's window holds it; the word
  // index's bits below the granule are left zero.
  function automatic logic [TableWords*EntryW-1:0] page_table(int unsigned page_base,
                                                              int unsigned granule);
    logic [TableWords*EntryW-1:0] t;
    int unsigned addr;
    t = '0;
    for (int unsigned n = 0; n < TableWords / granule; n++) begin
      addr = page_base + 4 * granule * n;
      for (int unsigned e = 0; e < NUM_ENGINES; e++) begin
        if (addr >= ReqBase + ReqStride * e && addr < ReqBase + ReqStride * e + ReqLen)
          t[n*EntryW +: EntryW] = {4'(e), 1'b1, 2'd0, 4'((addr - ReqBase - ReqStride * e) >> 2)};
        if (addr >= ResBase + ResStride * e && addr < ResBase + ResStride * e + ResLen)
          t[n*EntryW +: EntryW] = {4'(e), 1'b1, 2'd1, 4'((addr - ResBase - ResStride * e) >> 2)};
        if (addr >= CtrlBase + CtrlStride * e && addr < CtrlBase + CtrlStride * e + CtrlStride)
          t[n*EntryW +: EntryW] = {4'(e), 1'b1, 2'd2, 4'((addr - CtrlBase - CtrlStride * e) >> 2)};
        if (addr >= StatBase + StatStride * e && addr < StatBase + StatStride * e + StatStride)
          t[n*EntryW +: EntryW] = {4'(e), 1'b1, 2'd3, 4'((addr - StatBase - StatStride * e) >> 2)};
      end
    end
    page_table = t;
  endfunction

  localparam logic [TableWords*EntryW-1:0] ReqResPage =
    page_table(ReqBase & ~32'hFFF, ReqResGranule);
  localparam logic [TableWords*EntryW-1:0] CtrlPage = page_table(CtrlBase & ~32'hFFF, CtrlGranule);
  localparam logic [TableWords*EntryW-1:0] StatPage = page_table(StatBase & ~32'hFFF, StatGranule);

  logic                   hit, hit_q;
  logic [7:0]             eng_sel, eng_sel_q;
  logic [1:0]             region, region_q;
  logic [3:0]             word, word_q;
  logic [EntryW-1:0]      entry;
  logic [7:0]             page_word, word_in_granule;

  assign page_word = reg_addr_i[9:2];
  always_comb begin
    entry           = '0;
    word_in_granule = '0;
    if (reg_addr_i[11:10] == 2'b00) begin
      unique case (reg_addr_i[15:12])
        4'((ReqBase >> 12) & 'hF): begin
          entry           = ReqResPage[(32'(page_word) >> ReqResShift) * EntryW +: EntryW];
          word_in_granule = page_word & 8'(ReqResGranule - 1);
        end
        4'((CtrlBase >> 12) & 'hF): begin
          entry           = CtrlPage[(32'(page_word) >> CtrlShift) * EntryW +: EntryW];
          word_in_granule = page_word & 8'(CtrlGranule - 1);
        end
        4'((StatBase >> 12) & 'hF): begin
          entry           = StatPage[(32'(page_word) >> StatShift) * EntryW +: EntryW];
          word_in_granule = page_word & 8'(StatGranule - 1);
        end
        default: ;
      endcase
    end
  end
  assign eng_sel = 8'(entry[10:7]);
  assign hit     = entry[6];
  assign region  = entry[5:4];
  assign word    = entry[3:0] | word_in_granule[3:0];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      hit_q     <= 1'b0;
      eng_sel_q <= '0;
      region_q  <= '0;
      word_q    <= '0;
    end else begin
      hit_q     <= hit;
      eng_sel_q <= eng_sel;
      region_q  <= region;
      word_q    <= word;
    end
  end

  // What the tables assume: every window of a region inside its page, the
  // request and result windows in one page, and an engine number in 4 bits.
`ifndef SYNTHESIS
  initial begin
    assert (NUM_ENGINES >= 1 && NUM_ENGINES <= 16)
      else $fatal(1, "hermes_ctrl: NUM_ENGINES %0d is outside 1..16", NUM_ENGINES);
    assert ((ReqBase >> 12) == (ResBase >> 12)
            && ReqBase % 4096 + ReqStride * (NUM_ENGINES - 1) + ReqLen <= 4 * TableWords
            && ResBase % 4096 + ResStride * (NUM_ENGINES - 1) + ResLen <= 4 * TableWords
            && CtrlBase % 4096 + CtrlStride * NUM_ENGINES <= 4 * TableWords
            && StatBase % 4096 + StatStride * NUM_ENGINES <= 4 * TableWords)
      else $fatal(1, "hermes_ctrl: a command register window leaves the first 1 KiB of its page");
  end
`endif

  // Allocator ports: one per command processor, the last one the queue
  // dispatcher's; one is served a clock, round robin, and its answer comes
  // the next clock with its ack.
  localparam int unsigned NPort = NUM_ENGINES + 1;
  logic [NPort-1:0]          alloc_req, alloc_release, alloc_type, alloc_ack;
  logic                      alloc_ok, alloc_wait;
  logic [NPort*8-1:0]        alloc_slot_req;
  logic [7:0]                alloc_slot_gnt;
  logic [NUM_PROG_SLOTS-1:0] prog_used;
  logic [NUM_DATA_SLOTS-1:0] data_used;
  logic [NUM_ENGINES*32-1:0] eng_rdata;
  logic [NUM_ENGINES-1:0]    eng_err;

  hermes_slot_alloc #(
    .NUM_PORTS      (NPort),
    .NUM_PROG_SLOTS (NUM_PROG_SLOTS),
    .NUM_DATA_SLOTS (NUM_DATA_SLOTS)
  ) u_slot_alloc (
    .clk_i,
    .rst_ni,
    .req_i       (alloc_req),
    .release_i   (alloc_release),
    .type_i      (alloc_type),
    .slot_i      (alloc_slot_req),
    .ack_o       (alloc_ack),
    .ok_o        (alloc_ok),
    .slot_o      (alloc_slot_gnt),
    .wait_o      (alloc_wait),
    .prog_release_o,
    .data_release_o,
    .prog_want_o,
    .data_want_o,
    .prog_dirty_i,
    .data_dirty_i,
    .prog_used_o (prog_used),
    .data_used_o (data_used)
  );

  for (genvar e = 0; e < NUM_ENGINES; e++) begin : g_cmd
    hermes_cmd_proc #(
      .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
      .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
      .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
      .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
      .MAX_INSNS       (MAX_INSNS)
    ) u_cmd_proc (
      .clk_i,
      .rst_ni,
      .reg_req_i         (reg_req_i && hit_q && 32'(eng_sel_q) == e),
      .reg_we_i,
      .reg_region_i      (region_q),
      .reg_word_i        (word_q),
      .reg_wdata_i,
      .reg_wstrb_i,
      .reg_rdata_o       (eng_rdata[e*32 +: 32]),
      .reg_err_o         (eng_err[e]),
      .alloc_req_o       (alloc_req[e]),
      .alloc_release_o   (alloc_release[e]),
      .alloc_type_o      (alloc_type[e]),
      .alloc_slot_o      (alloc_slot_req[e*8 +: 8]),
      .alloc_ack_i       (alloc_ack[e]),
      .alloc_ok_i        (alloc_ok),
      .alloc_wait_i      (alloc_wait),
      .alloc_slot_i      (alloc_slot_gnt),
      .prog_used_i       (prog_used),
      .data_used_i       (data_used),
      .eng_start_o       (eng_start_o[e]),
      .eng_prog_slot_o   (eng_prog_slot_o[e*8 +: 8]),
      .eng_data_slot_o   (eng_data_slot_o[e*8 +: 8]),
      .eng_prog_len_o    (eng_prog_len_o[e*32 +: 32]),
      .eng_data_len_o    (eng_data_len_o[e*32 +: 32]),
      .eng_max_insns_o   (eng_max_insns_o[e*32 +: 32]),
      .eng_abort_o       (eng_abort_o[e]),
      .eng_busy_i        (eng_busy_i[e]),
      .eng_done_i        (eng_done_i[e]),
      .eng_fault_cause_i (eng_fault_cause_i[e*4 +: 4]),
      .eng_fault_pc_i    (eng_fault_pc_i[e*32 +: 32]),
      .eng_fault_addr_i  (eng_fault_addr_i[e*64 +: 64]),
      .eng_r0_i          (eng_r0_i[e*64 +: 64]),
      .eng_insns_i       (eng_insns_i[e*64 +: 64]),
      .eng_cycles_i      (eng_cycles_i[e*64 +: 64]),
      .irq_o             (irq_o[e]),
      .eng_claimed_i     (eng_claimed_i[e]),
      .busy_o            (cmd_busy_o[e])
    );
  end

  assign alloc_req[NUM_ENGINES]                = q_alloc_req_i;
  assign alloc_release[NUM_ENGINES]            = q_alloc_release_i;
  assign alloc_type[NUM_ENGINES]               = 1'b1;
  assign alloc_slot_req[NUM_ENGINES*8 +: 8]    = q_alloc_slot_i;
  assign q_alloc_ack_o                         = alloc_ack[NUM_ENGINES];
  assign q_alloc_ok_o                          = alloc_ok;
  assign q_alloc_slot_o                        = alloc_slot_gnt;
  assign prog_used_o                           = prog_used;

  assign reg_hit_o   = hit_q;
  logic unused_addr;
  assign unused_addr = ^{reg_addr_i[1:0], word_in_granule[7:4]}; // misaligned: refused by the bus bridge
  always_comb begin
    reg_rdata_o = '0;
    reg_err_o   = 1'b0;
    for (int unsigned e = 0; e < NUM_ENGINES; e++) begin
      if (32'(eng_sel_q) == e) begin
        reg_rdata_o = eng_rdata[e*32 +: 32];
        reg_err_o   = eng_err[e];
      end
    end
  end

endmodule
