// SPDX-License-Identifier: MIT
// Writeback stage of hermes_engine: the register write (or, at the start
// of a run, the register file's initialisation), a call's frame save into
// the call stack, and the retire record (rvfi_*).
//
// A slot load takes its value here from the port's response (zero-
// extended to the access size by the slot memory; registered in mem_value
// if it came while the load was in MEM), sign-extending it for ldsx, and
// retires only once the response has come (wait_i: MEM holds everything
// behind it). The value is also kept (lv_o) for a store or a
// late jump that took it as a late operand and reaches MEM a clock later.
//
// r6-r9 are flip-flops in the register file: a call saves all four with
// its return pc when it reaches WB (every older write is then done, no
// younger one yet); the frame can be read back a clock later (cs_fresh_o:
// saved in the last clock). A write to r6-r9 older than an exit that has
// fired is dropped (nobank_i): the exit's restore overwrites them
// architecturally.
module hermes_wb_stage (
  input  logic                         clk_i,
  input  logic                         rst_ni,

  // The MEM/WB register.
  input  logic                         wb_valid_i,
  input  logic                         wb_call_i,
  input  logic                         wb_nobank_i,
  input  hermes_core_pkg::mem_wb_t     wb_i,
  input  logic                         wait_i,       // a slot load without its response yet
  input  logic [63:0]                  dmem_rdata_i, // ... the response
  output logic [63:0]                  lv_o,         // the value of the slot load retired last
  output logic                         retire_o,

  // Register file initialisation (run control) and write port.
  input  logic                         init_we_i,
  input  logic [3:0]                   init_idx_i,
  input  logic [63:0]                  init_val_i,
  output logic                         rf_we_o,
  output logic [3:0]                   rf_waddr_o,
  output logic [63:0]                  rf_wdata_o,
  output logic                         wb_rf_we_o,   // writes a register the file takes (bypass in ID)
  output logic [63:0]                  wb_value_o,   // ... its value

  // A call's frame: saved now, saved in the last clock.
  output logic                         cs_we_o,
  output logic [2:0]                   cs_waddr_o,   // the caller's depth
  output logic [31:0]                  cs_ret_pc_o,  // the call's return pc
  output logic                         cs_fresh_o,
  output logic [31:0]                  cs_fresh_pc_o,

  // Retire records.
  output logic                         rvfi_valid_o,
  output logic [31:0]                  rvfi_pc_o,
  output logic [63:0]                  rvfi_insn_o,
  output logic [7:0]                   rvfi_rd_o,
  output logic [63:0]                  rvfi_rd_value_o,
  output logic [1:0]                   rvfi_mem_kind_o,
  output logic [3:0]                   rvfi_mem_size_o,
  output logic [63:0]                  rvfi_mem_addr_o,
  output logic [63:0]                  rvfi_mem_value_o
);

  logic        wb_retire, wb_we, wb_rf_we, cs_fresh_q;
  logic [31:0] cs_fresh_pc_q;
  logic [63:0] port_raw, load_val, wb_value, wb_mem_value, lv_q;

  assign port_raw = wb_i.port_early ? wb_i.mem_value : dmem_rdata_i;
  assign load_val = hermes_core_pkg::load_value(port_raw, wb_i.size, wb_i.memsx);
  // A slot atomic's record: the operation repeated on its old value, so
  // that no path runs from the port's response through it in MEM (it
  // feeds the retire record only).
  logic [63:0] amo_new, amo_fetch;
  logic        amo_we;
  hermes_amo_alu u_slot_amo_record (
    .op_i      (wb_i.amo),
    .size_i    (wb_i.size),
    .old_i     (wb_i.mem_value),
    .operand_i (wb_i.amo_operand),
    .cmp_i     (wb_i.amo_cmp),
    .new_o     (amo_new),
    .we_o      (amo_we),
    .fetch_o   (amo_fetch)
  );

  assign wb_value     = wb_i.port_load ? load_val : wb_i.rd_value;
  assign wb_mem_value = wb_i.port_load ? port_raw :
                        wb_i.slot_amo  ? (amo_we ? amo_new : amo_fetch) : wb_i.mem_value;

  assign wb_retire = wb_valid_i && !wait_i;
  assign wb_we     = wb_retire && (wb_i.rd != hermes_core_pkg::RD_NONE);
  assign wb_rf_we  = wb_we && !(wb_nobank_i && wb_i.rd >= 8'd6 && wb_i.rd <= 8'd9);

  assign rf_we_o    = init_we_i || wb_rf_we;
  assign rf_waddr_o = init_we_i ? init_idx_i : wb_i.rd[3:0];
  assign rf_wdata_o = init_we_i ? init_val_i : wb_value;
  assign wb_rf_we_o = wb_rf_we;
  assign wb_value_o = wb_value;
  assign retire_o   = wb_retire;

  always_ff @(posedge clk_i) begin
    if (wb_retire && wb_i.port_load) lv_q <= load_val;
  end
  assign lv_o = lv_q;

  assign cs_we_o     = wb_valid_i && wb_call_i;   // (a call never waits here)
  assign cs_waddr_o  = wb_i.depth;
  assign cs_ret_pc_o = wb_i.seq_pc;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cs_fresh_q    <= 1'b0;
      cs_fresh_pc_q <= '0;
    end else begin
      cs_fresh_q <= cs_we_o;
      if (cs_we_o) cs_fresh_pc_q <= wb_i.seq_pc;
    end
  end

  assign cs_fresh_o    = cs_fresh_q;
  assign cs_fresh_pc_o = cs_fresh_pc_q;

  assign rvfi_valid_o     = wb_retire;
  assign rvfi_pc_o        = wb_i.pc;
  assign rvfi_insn_o      = wb_i.insn;
  assign rvfi_rd_o        = wb_i.rd;
  assign rvfi_rd_value_o  = wb_value;
  assign rvfi_mem_kind_o  = wb_i.mem_kind;
  assign rvfi_mem_size_o  = wb_i.mem_size;
  assign rvfi_mem_addr_o  = wb_i.mem_addr;
  assign rvfi_mem_value_o = wb_mem_value;

endmodule
