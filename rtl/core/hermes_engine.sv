// SPDX-License-Identifier: MIT
// Hermes eBPF engine: executes one program (docs/ISA.md) per run.
//
// A run: start_i latches the command fields; the engine copies the code
// (prog_len_i bytes of the program slot) over the dmem port into its local
// instruction memory, one slot per clock, and executes it while the copy
// proceeds (a fetch waits until its slots have arrived; data accesses wait
// for the end of the copy). docs/PIPELINE.md describes the pipeline; this
// module connects its parts:
//
//   hermes_engine_ctrl  run control: command, code copy, register file
//                       initialisation, budget, fault record, end of run
//   hermes_if_stage     IF: next pc, instruction memory, prediction counters
//   hermes_id_stage     ID: decode, register read, target, prediction,
//                       hazards; the ID/EX register (id_ex_t)
//   hermes_ex_stage     EX: forwarding, ALU, mul, div, branch, address and
//                       bounds, every fault check, redirect, call depth;
//                       the EX/MEM register (ex_mem_t)
//   hermes_mem_stage    MEM: slot accesses, stack, atomics, load value;
//                       the MEM/WB register (mem_wb_t)
//   hermes_wb_stage     WB: register write, call frame save, retire record
//
// and, shared by the stages: the register file (read in ID, written in WB,
// r6-r9 restored by an exit in EX), the call stack (written in WB, read for
// an exit in ID and EX), the helper sequencer (hermes_helper, called from
// EX, using the register file's read ports, the stack and the data port),
// and the data port, owned by the copy, else the helper, else MEM and EX.
module hermes_engine #(
  parameter int unsigned NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned ENGINE_ID       = 0,
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  // BAR4 offset of map slot 0 and the map slot size (docs/MAPS.md).
  parameter int unsigned MAP_OFF         = 0,
  parameter int unsigned MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE,
  // Instruction memory depth in slots; a program longer than this faults
  // (cause 3) when it reaches slot IMEM_WORDS.
  parameter int unsigned IMEM_WORDS      = PROG_SLOT_BYTES / 8,
  // Width of the stack's per-word run tags (clear loop every 2**TAG_W-1 runs).
  parameter int unsigned TAG_W           = 8,
  // 1 for a data port that answers the clock after the grant: a slot
  // load answered in MEM is forwarded as a stack load is (hermes_mem_stage)
  parameter bit          EARLY_LOAD_VALUE = 1'b0
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // Card clocks since card reset (ktime_get_ns) and the card-wide map lock.
  input  logic [63:0] ktime_i,
  output logic        lock_req_o,
  input  logic        lock_gnt_i,

  // Engine control (command processor).
  input  logic        start_i,
  input  logic [7:0]  prog_slot_i,
  input  logic [7:0]  data_slot_i,
  input  logic [31:0] prog_len_i,
  input  logic [31:0] data_len_i,
  input  logic [31:0] max_insns_i,
  input  logic        abort_i,
  output logic        busy_o,
  output logic        done_o,
  output logic [3:0]  fault_cause_o,
  output logic [31:0] fault_pc_o,
  output logic [63:0] fault_addr_o,
  output logic [63:0] r0_o,
  output logic [63:0] insns_o,
  output logic [63:0] cycles_o,

  // Data port to the slot memory (BAR4 addresses).
  output logic        dmem_req_o,
  output logic [1:0]  dmem_op_o,
  output logic [1:0]  dmem_size_o,
  output logic [7:0]  dmem_amo_o,
  output logic [31:0] dmem_addr_o,
  output logic [63:0] dmem_wdata_o,
  output logic [63:0] dmem_cmp_o,
  input  logic        dmem_gnt_i,
  input  logic        dmem_rvalid_i,
  input  logic [63:0] dmem_rdata_i,

  // Retire records.
  output logic        rvfi_valid_o,
  output logic [31:0] rvfi_pc_o,
  output logic [63:0] rvfi_insn_o,
  output logic [7:0]  rvfi_rd_o,
  output logic [63:0] rvfi_rd_value_o,
  output logic [1:0]  rvfi_mem_kind_o,
  output logic [3:0]  rvfi_mem_size_o,
  output logic [63:0] rvfi_mem_addr_o,
  output logic [63:0] rvfi_mem_value_o
);

  localparam logic [63:0] BAR4_BYTES = 64'(NUM_PROG_SLOTS) * 64'(PROG_SLOT_BYTES) +
                                       64'(NUM_DATA_SLOTS) * 64'(DATA_SLOT_BYTES);

  // ===================================================================
  // Signals between the stages
  // ===================================================================
  // Run control
  logic             start, exec_ok, stop, abort, budget_out, copy_busy, copy_req;
  logic [31:0]      prog_bar4, data_bar4, map_bar4, prog_len, code_words, copy_addr, copy_recv;
  logic             ctrl_port_free, pipe_port_free, imem_we;
  logic             out_zero, out_one, out_two, out_three;
  logic             init_we;
  logic [3:0]       init_idx;
  logic [63:0]      init_val;
  logic [TAG_W-1:0] epoch;
  logic             clearing;
  logic [7:0]       clear_idx;
  // IF/ID
  logic             id_valid;
  logic [31:0]      id_pc;
  hermes_core_pkg::id_next_t id_next;
  logic [63:0]      id_insn, id_insn2;
  logic [1:0]       id_ctr;
  logic             id_to_ex;
  // ID/EX
  logic             ex_valid;
  hermes_core_pkg::id_ex_t           id_ex;
  logic             ex_live, ex_ready, ex_fire, ex_fault, ex_final;
  logic [3:0]       ex_cause;
  logic [63:0]      ex_fault_addr, ex_a, ex_b;
  logic             ex_fault_late;
  logic [3:0]       ex_cause_late;
  logic [63:0]      ex_fault_addr_late;
  logic             ex_rd_we;
  logic [3:0]       ex_rd;
  logic             redir;
  logic [31:0]      redir_pc;
  logic             bp_upd, br_taken;
  logic [1:0]       bp_ctr;
  // A late jump (decided in MEM): its redirect, a clock after EX's would
  // be, wins over EX's (it is older); its counter update.
  logic             late_redir, late_bp_upd, late_taken, redir_any;
  logic [31:0]      late_redir_pc, late_bp_pc, redir_any_pc;
  logic [1:0]       late_bp_ctr;
  assign redir_any    = redir || late_redir;
  assign redir_any_pc = late_redir ? late_redir_pc : redir_pc;
  logic [2:0]       depth, depth_d;
  logic             rf_restore;
  logic [1:0]       ex_size;
  logic             ex_stack_we, ex_issue, ex_issue_sel, ex_issue_store, ex_sent;
  logic [11:0]      ex_stack_off, ex_stack_off_p8;
  logic [63:0]      ex_stack_wdata;
  logic [31:0]      ex_issue_bar4;
  // EX/MEM
  logic             mem_valid, mem_call;
  hermes_core_pkg::ex_mem_t          ex_mem;
  logic             mem_stall, mem_port_wanted, mem_stack_amo, mem_stack_late_wr;
  logic [63:0]      stack_rdata, mul_result, mem_wdata;
  logic             pipe_req;
  logic [1:0]       pipe_op, pipe_size;
  logic [31:0]      pipe_addr;
  // MEM/WB
  logic             wb_valid, wb_call, wb_nobank, wb_wait, wb_retire, ex_keep_a, ex_keep_b;
  logic [63:0]      wb_value, wb_lv, mem_late_value;
  logic             mem_port_load;
  hermes_core_pkg::mem_wb_t          mem_wb;
  logic             wb_rf_we;
  // Register file and call stack
  logic             rf_we;
  logic [3:0]       rf_waddr, rf_raddr_a, rf_raddr_b, id_raddr_a, id_raddr_b;
  logic [63:0]      rf_wdata, rf_a, rf_b, rf_r0;
  logic [255:0]     rf_bank, cs_saved;
  logic [287:0]     cs_rdata;
  logic [31:0]      cs_ret_pc, cs_fresh_pc, cs_wpc;
  logic [2:0]       cs_waddr;
  logic             cs_we, cs_fresh, call_in_flight;
  // Helper sequencer
  logic             hlp_call, hlp_fire, hlp_retire, hlp_drained, hlp_done, hlp_hold, hlp_busy;
  logic [3:0]       hlp_cause;
  logic [63:0]      hlp_fault_addr, hlp_result;
  logic             hlp_mem_req, hlp_mem_we, hlp_stk_re, hlp_rf_sel;
  logic [1:0]       hlp_mem_size, hlp_stk_size;
  logic [31:0]      hlp_mem_addr;
  logic [63:0]      hlp_mem_wdata;
  logic [11:0]      hlp_stk_off;
  logic [3:0]       hlp_raddr_a, hlp_raddr_b;

  // ===================================================================
  // Run control
  // ===================================================================
  hermes_engine_ctrl #(
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_OFF         (MAP_OFF),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES),
    .IMEM_WORDS      (IMEM_WORDS),
    .TAG_W           (TAG_W)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .start_i,
    .prog_slot_i,
    .data_slot_i,
    .prog_len_i,
    .data_len_i,
    .max_insns_i,
    .abort_i,
    .start_o         (start),
    .busy_o,
    .done_o,
    .fault_cause_o,
    .fault_pc_o,
    .fault_addr_o,
    .r0_o,
    .insns_o,
    .cycles_o,
    .prog_bar4_o     (prog_bar4),
    .data_bar4_o     (data_bar4),
    .map_bar4_o      (map_bar4),
    .prog_len_o      (prog_len),
    .code_words_o    (code_words),
    .exec_ok_o       (exec_ok),
    .stop_o          (stop),
    .abort_o         (abort),
    .budget_out_o    (budget_out),
    .copy_busy_o     (copy_busy),
    .copy_req_o      (copy_req),
    .copy_addr_o     (copy_addr),
    .copy_recv_o     (copy_recv),
    .dmem_req_i      (dmem_req_o),
    .dmem_gnt_i,
    .dmem_rvalid_i,
    .port_free_o     (ctrl_port_free),
    .out_zero_o      (out_zero),
    .out_one_o       (out_one),
    .out_two_o       (out_two),
    .out_three_o     (out_three),
    .init_we_o       (init_we),
    .init_idx_o      (init_idx),
    .init_val_o      (init_val),
    .epoch_o         (epoch),
    .clearing_o      (clearing),
    .clear_idx_o     (clear_idx),
    .ex_fire_i       (ex_fire),
    .squash_i        (late_redir && mem_valid),
    .ex_fault_i      (ex_fault),
    .ex_final_i      (ex_final),
    .ex_cause_i      (ex_cause),
    .ex_pc_i         (id_ex.pc),
    .ex_fault_addr_i (ex_fault_addr),
    .ex_fault_late_i (ex_fault_late),
    .ex_cause_late_i (ex_cause_late),
    .ex_fault_addr_late_i (ex_fault_addr_late),
    .retire_i        (wb_retire),
    .drained_i       (!ex_valid && !mem_valid && !wb_valid && !hlp_busy),
    .r0_i            (rf_r0)
  );

  assign imem_we        = copy_busy && dmem_rvalid_i;
  // The pipeline may use the data port: not the copy's nor the helper's.
  assign pipe_port_free = ctrl_port_free && !copy_busy && !hlp_busy;

  // ===================================================================
  // Pipeline: IF, ID, EX, MEM, WB
  // ===================================================================
  hermes_if_stage #(.IMEM_WORDS(IMEM_WORDS)) u_if (
    .clk_i,
    .rst_ni,
    .start_i        (start),
    .copy_busy_i    (copy_busy),
    .copy_we_i      (imem_we),
    .copy_recv_i    (copy_recv),
    .copy_wdata_i   (dmem_rdata_i),
    .exec_ok_i      (exec_ok),
    .stop_i         (stop),
    .redir_i        (redir_any),
    .redir_pc_i     (redir_any_pc),
    .id_to_ex_i     (id_to_ex),
    .id_next_i      (id_next),
    .bp_upd_i       (bp_upd || late_bp_upd),
    .bp_upd_pc_i    (late_bp_upd ? late_bp_pc : id_ex.pc),
    .bp_upd_ctr_i   (late_bp_upd ? late_bp_ctr : bp_ctr),
    .bp_upd_taken_i (late_bp_upd ? late_taken : br_taken),
    .id_valid_o     (id_valid),
    .id_pc_o        (id_pc),
    .id_insn_o      (id_insn),
    .id_insn2_o     (id_insn2),
    .id_ctr_o       (id_ctr)
  );

  hermes_id_stage #(
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES)
  ) u_id (
    .clk_i,
    .rst_ni,
    .start_i         (start),
    .id_valid_i      (id_valid),
    .id_pc_i         (id_pc),
    .id_insn_i       (id_insn),
    .id_insn2_i      (id_insn2),
    .id_ctr_i        (id_ctr),
    .code_words_i    (code_words),
    .prog_len_i      (prog_len),
    .id_next_o       (id_next),
    .id_to_ex_o      (id_to_ex),
    .rf_raddr_a_o    (id_raddr_a),
    .rf_raddr_b_o    (id_raddr_b),
    .rf_a_i          (rf_a),
    .rf_b_i          (rf_b),
    .rf_r0_i         (rf_r0),
    .wb_rf_we_i      (wb_rf_we),
    .wb_rd_i         (mem_wb.rd),
    .wb_rd_value_i   (wb_value),
    .mem_call_i      (mem_valid && mem_call),
    .mem_seq_pc_i    (ex_mem.seq_pc),
    .wb_call_i       (cs_we),
    .wb_seq_pc_i     (cs_wpc),
    .cs_fresh_i      (cs_fresh),
    .cs_fresh_pc_i   (cs_fresh_pc),
    .cs_ret_pc_i     (cs_ret_pc),
    .depth_i         (depth),
    .ex_rd_we_i      (ex_rd_we),
    .ex_rd_i         (ex_rd),
    .mem_rd_we_i     (mem_valid && ex_mem.rd_we),
    .mem_rd_i        (ex_mem.rd),
    .mem_port_load_i (mem_port_load),
    .stop_i          (stop),
    .redir_i         (redir_any),
    .ex_ready_i      (ex_ready),
    .ex_live_i       (ex_live),
    .ex_a_i          (ex_a),
    .ex_b_i          (ex_b),
    .ex_keep_a_i     (ex_keep_a),
    .ex_keep_b_i     (ex_keep_b),
    .ex_valid_o      (ex_valid),
    .ex_o            (id_ex)
  );

  hermes_ex_stage #(
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES)
  ) u_ex (
    .clk_i,
    .rst_ni,
    .start_i           (start),
    .ex_valid_i        (ex_valid),
    .ex_i              (id_ex),
    .abort_i           (abort),
    .budget_out_i      (budget_out),
    .stop_i            (stop),
    .late_redir_i      (late_redir),
    .copy_busy_i       (copy_busy),
    .clearing_i        (clearing),
    .code_words_i      (code_words),
    .prog_len_i        (prog_len),
    .prog_bar4_i       (prog_bar4),
    .data_bar4_i       (data_bar4),
    .map_bar4_i        (map_bar4),
    .wb_rd_value_i     (mem_wb.rd_value),
    .wb_port_i         (wb_valid && mem_wb.port_load),
    .wb_wait_i         (wb_wait),
    .wb_load_value_i   (wb_value),
    .mem_late_value_i  (mem_late_value),
    .mem_port_load_i   (mem_port_load),
    .mem_stall_i       (mem_stall),
    .mem_port_wanted_i (mem_port_wanted),
    .mem_stack_amo_i   (mem_stack_amo),
    .mem_stack_late_wr_i (mem_stack_late_wr),
    .port_free_i       (pipe_port_free),
    .dmem_gnt_i,
    .cs_ret_pc_i       (cs_ret_pc),
    .call_in_flight_i  (call_in_flight),
    .hlp_done_i        (hlp_done),
    .hlp_hold_i        (hlp_hold),
    .hlp_cause_i       (hlp_cause),
    .hlp_fault_addr_i  (hlp_fault_addr),
    .hlp_result_i      (hlp_result),
    .hlp_call_o        (hlp_call),
    .hlp_fire_o        (hlp_fire),
    .hlp_retire_o      (hlp_retire),
    .ex_live_o         (ex_live),
    .ex_ready_o        (ex_ready),
    .ex_fire_o         (ex_fire),
    .ex_fault_o        (ex_fault),
    .ex_final_o        (ex_final),
    .ex_cause_o        (ex_cause),
    .ex_fault_addr_o   (ex_fault_addr),
    .ex_fault_late_o   (ex_fault_late),
    .ex_cause_late_o   (ex_cause_late),
    .ex_fault_addr_late_o (ex_fault_addr_late),
    .ex_a_o            (ex_a),
    .ex_b_o            (ex_b),
    .ex_keep_a_o       (ex_keep_a),
    .ex_keep_b_o       (ex_keep_b),
    .ex_rd_we_o        (ex_rd_we),
    .ex_rd_o           (ex_rd),
    .redir_o           (redir),
    .redir_pc_o        (redir_pc),
    .bp_upd_o          (bp_upd),
    .bp_ctr_o          (bp_ctr),
    .br_taken_o        (br_taken),
    .depth_o           (depth),
    .depth_d_o         (depth_d),
    .rf_restore_o      (rf_restore),
    .size_o            (ex_size),
    .stack_we_o        (ex_stack_we),
    .stack_off_o       (ex_stack_off),
    .stack_off_p8_o    (ex_stack_off_p8),
    .stack_wdata_o     (ex_stack_wdata),
    .issue_o           (ex_issue),
    .issue_sel_o       (ex_issue_sel),
    .issue_store_o     (ex_issue_store),
    .issue_bar4_o      (ex_issue_bar4),
    .sent_o            (ex_sent),
    .mem_valid_o       (mem_valid),
    .mem_call_o        (mem_call),
    .mem_o             (ex_mem),
    .mul_result_o      (mul_result)
  );

  hermes_mem_stage #(.TAG_W(TAG_W), .EARLY_LOAD_VALUE(EARLY_LOAD_VALUE)) u_mem (
    .clk_i,
    .rst_ni,
    .start_i          (start),
    .mem_valid_i      (mem_valid),
    .mem_call_i       (mem_call),
    .mem_i            (ex_mem),
    .mul_result_i     (mul_result),
    .ex_fire_i        (ex_fire),
    .ex_fault_i       (ex_fault),
    .ex_issue_i       (ex_issue),
    .ex_issue_sel_i   (ex_issue_sel),
    .ex_issue_store_i (ex_issue_store),
    .ex_issue_wdata_i (ex_stack_wdata),
    .ex_sent_i        (ex_sent),
    .ex_size_i        (ex_size),
    .ex_issue_bar4_i  (ex_issue_bar4),
    .mem_stall_o      (mem_stall),
    .port_wanted_o    (mem_port_wanted),
    .port_load_o      (mem_port_load),
    .port_free_i      (pipe_port_free),
    .out_zero_i       (out_zero),
    .out_one_i        (out_one),
    .out_two_i        (out_two),
    .out_three_i      (out_three),
    .req_o            (pipe_req),
    .op_o             (pipe_op),
    .size_o           (pipe_size),
    .addr_o           (pipe_addr),
    .dmem_gnt_i,
    .dmem_rvalid_i,
    .dmem_rdata_i,
    .ex_stack_we_i    (ex_stack_we),
    .ex_stack_off_i   (ex_stack_off),
    .ex_stack_off_p8_i (ex_stack_off_p8),
    .ex_stack_wdata_i (ex_stack_wdata),
    .hlp_stk_re_i     (hlp_stk_re),
    .hlp_stk_off_i    (hlp_stk_off),
    .hlp_stk_size_i   (hlp_stk_size),
    .epoch_i          (epoch),
    .clearing_i       (clearing),
    .clear_idx_i      (clear_idx),
    .stack_amo_o      (mem_stack_amo),
    .stack_late_wr_o  (mem_stack_late_wr),
    .stack_rdata_o    (stack_rdata),
    .rf_restore_i     (rf_restore),
    .lv_i             (wb_lv),
    .late_redir_o     (late_redir),
    .late_redir_pc_o  (late_redir_pc),
    .late_bp_upd_o    (late_bp_upd),
    .late_bp_pc_o     (late_bp_pc),
    .late_bp_ctr_o    (late_bp_ctr),
    .late_taken_o     (late_taken),
    .wb_valid_o       (wb_valid),
    .wb_call_o        (wb_call),
    .wb_nobank_o      (wb_nobank),
    .wb_o             (mem_wb),
    .wb_wait_o        (wb_wait),
    .late_value_o     (mem_late_value),
    .wdata_o          (mem_wdata)
  );

  hermes_wb_stage u_wb (
    .clk_i,
    .rst_ni,
    .wb_valid_i       (wb_valid),
    .wb_call_i        (wb_call),
    .wb_nobank_i      (wb_nobank),
    .wb_i             (mem_wb),
    .wait_i           (wb_wait),
    .dmem_rdata_i,
    .lv_o             (wb_lv),
    .retire_o         (wb_retire),
    .init_we_i        (init_we),
    .init_idx_i       (init_idx),
    .init_val_i       (init_val),
    .rf_we_o          (rf_we),
    .rf_waddr_o       (rf_waddr),
    .rf_wdata_o       (rf_wdata),
    .wb_rf_we_o       (wb_rf_we),
    .wb_value_o       (wb_value),
    .cs_we_o          (cs_we),
    .cs_waddr_o       (cs_waddr),
    .cs_ret_pc_o      (cs_wpc),
    .cs_fresh_o       (cs_fresh),
    .cs_fresh_pc_o    (cs_fresh_pc),
    .rvfi_valid_o,
    .rvfi_pc_o,
    .rvfi_insn_o,
    .rvfi_rd_o,
    .rvfi_rd_value_o,
    .rvfi_mem_kind_o,
    .rvfi_mem_size_o,
    .rvfi_mem_addr_o,
    .rvfi_mem_value_o
  );

  // ===================================================================
  // Register file and call stack
  // ===================================================================
  // The helper sequencer reads r1-r5 through both ports while the call
  // waits in EX (nothing in ID can move then).
  assign rf_raddr_a = hlp_rf_sel ? hlp_raddr_a : id_raddr_a;
  assign rf_raddr_b = hlp_rf_sel ? hlp_raddr_b : id_raddr_b;

  hermes_regfile u_regfile (
    .clk_i,
    .rst_ni,
    .we_i           (rf_we),
    .waddr_i        (rf_waddr),
    .wdata_i        (rf_wdata),
    .raddr_a_i      (rf_raddr_a),
    .rdata_a_o      (rf_a),
    .raddr_b_i      (rf_raddr_b),
    .rdata_b_o      (rf_b),
    .r0_o           (rf_r0),
    .bank_o         (rf_bank),
    .restore_i      (rf_restore),
    .restore_data_i (cs_saved)
  );

  // Call stack, one entry per open frame above frame 0: r6-r9 and the
  // return pc, one 288-bit word in block RAM written when the call is in
  // WB. r10 is implied by the depth (it is read-only to programs). The
  // block RAM is read every clock at the next depth's top frame, so
  // cs_saved/cs_ret_pc are always the frame an exit would restore, a clock
  // after its save at the latest (call_in_flight: until then an exit waits).
  hermes_callstack #(.WIDTH(288), .DEPTH(8)) u_callstack (
    .clk_i,
    .we_i    (cs_we),
    .waddr_i (cs_waddr),
    .wdata_i ({cs_wpc, rf_bank}),
    .raddr_i (depth_d - 3'd1),
    .rdata_o (cs_rdata)
  );
  assign cs_saved       = cs_rdata[255:0];
  assign cs_ret_pc      = cs_rdata[287:256];
  assign call_in_flight = (mem_valid && mem_call) || cs_we || cs_fresh;

  // ===================================================================
  // Data port: the code copy, else the helper sequencer, else the pipeline
  // ===================================================================
  always_comb begin
    if (copy_busy) begin
      dmem_req_o  = copy_req;
      dmem_op_o   = hermes_core_pkg::DMEM_LOAD;
      dmem_size_o = 2'd3;
      dmem_addr_o = copy_addr;
    end else if (hlp_busy) begin
      dmem_req_o  = hlp_mem_req;
      dmem_op_o   = hlp_mem_we ? hermes_core_pkg::DMEM_STORE : hermes_core_pkg::DMEM_LOAD;
      dmem_size_o = hlp_mem_size;
      dmem_addr_o = hlp_mem_addr;
    end else begin
      dmem_req_o  = pipe_req;
      dmem_op_o   = pipe_op;
      dmem_size_o = pipe_size;
      dmem_addr_o = pipe_addr;
    end
  end
  // Don't care for the copy's loads.
  assign dmem_amo_o   = ex_mem.amo;
  assign dmem_wdata_o = hlp_busy ? hlp_mem_wdata : mem_wdata;
  assign dmem_cmp_o   = ex_mem.cmp;

  // ===================================================================
  // Helper calls (hermes_helper): fast ids answer in EX, map and trace
  // helpers run a sequence on the data port once everything older is done.
  // ===================================================================
  assign hlp_drained = !mem_valid && !wb_valid && out_zero && !copy_busy && !clearing;

  hermes_helper #(
    .NUM_ENGINES     (NUM_ENGINES),
    .ENGINE_ID       (ENGINE_ID),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES)
  ) u_helper (
    .clk_i,
    .rst_ni,
    .start_i      (start),
    .copy_busy_i  (copy_busy),
    .prog_bar4_i  (prog_bar4),
    .data_bar4_i  (data_bar4),
    .map_bar4_i   (map_bar4),
    .ktime_i,
    .call_i       (hlp_call),
    .abort_i      (abort),
    .id_i         (id_ex.insn[63:32]),
    .drained_i    (hlp_drained),
    .dry_i        (id_ex.fall_bad),
    .fire_i       (hlp_fire),
    .retire_i     (hlp_retire),
    .done_o       (hlp_done),
    .hold_o       (hlp_hold),
    .cause_o      (hlp_cause),
    .fault_addr_o (hlp_fault_addr),
    .result_o     (hlp_result),
    .busy_o       (hlp_busy),
    .rf_sel_o     (hlp_rf_sel),
    .rf_raddr_a_o (hlp_raddr_a),
    .rf_raddr_b_o (hlp_raddr_b),
    .rf_a_i       (rf_a),
    .rf_b_i       (rf_b),
    .mem_req_o    (hlp_mem_req),
    .mem_we_o     (hlp_mem_we),
    .mem_size_o   (hlp_mem_size),
    .mem_addr_o   (hlp_mem_addr),
    .mem_wdata_o  (hlp_mem_wdata),
    .mem_gnt_i    (dmem_gnt_i),
    .mem_rvalid_i (dmem_rvalid_i),
    .mem_rdata_i  (dmem_rdata_i),
    .stk_re_o     (hlp_stk_re),
    .stk_off_o    (hlp_stk_off),
    .stk_size_o   (hlp_stk_size),
    .stk_rdata_i  (stack_rdata),
    .lock_req_o,
    .lock_gnt_i
  );

  // Geometry sanity (BAR4 addresses are 32 bits) and unused fields.
  logic unused_engine;
  assign unused_engine = ^{BAR4_BYTES[63:32]};

endmodule
