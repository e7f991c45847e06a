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

  // Address decode: which engine, which region, which word.
  logic                   hit;
  logic [7:0]             eng_sel;
  logic [1:0]             region;
  logic [3:0]             word;
  logic [31:0]            a;

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

  assign a = 32'(reg_addr_i);

  always_comb begin
    hit     = 1'b0;
    eng_sel = '0;
    region  = '0;
    word    = '0;
    for (int unsigned e = 0; e < NUM_ENGINES; e++) begin
      if (a >= ReqBase + ReqStride * e && a < ReqBase + ReqStride * e + ReqLen) begin
        hit = 1'b1; eng_sel = 8'(e); region = 2'd0;
        word = 4'((a - ReqBase - ReqStride * e) >> 2);
      end
      if (a >= ResBase + ResStride * e && a < ResBase + ResStride * e + ResLen) begin
        hit = 1'b1; eng_sel = 8'(e); region = 2'd1;
        word = 4'((a - ResBase - ResStride * e) >> 2);
      end
      if (a >= CtrlBase + CtrlStride * e && a < CtrlBase + CtrlStride * e + CtrlStride) begin
        hit = 1'b1; eng_sel = 8'(e); region = 2'd2;
        word = 4'((a - CtrlBase - CtrlStride * e) >> 2);
      end
      if (a >= StatBase + StatStride * e && a < StatBase + StatStride * e + StatStride) begin
        hit = 1'b1; eng_sel = 8'(e); region = 2'd3;
        word = 4'((a - StatBase - StatStride * e) >> 2);
      end
    end
  end

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
      .reg_req_i         (reg_req_i && hit && 32'(eng_sel) == e),
      .reg_we_i,
      .reg_region_i      (region),
      .reg_word_i        (word),
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

  assign reg_hit_o   = hit;
  always_comb begin
    reg_rdata_o = '0;
    reg_err_o   = 1'b0;
    for (int unsigned e = 0; e < NUM_ENGINES; e++) begin
      if (32'(eng_sel) == e) begin
        reg_rdata_o = eng_rdata[e*32 +: 32];
        reg_err_o   = eng_err[e];
      end
    end
  end

endmodule
