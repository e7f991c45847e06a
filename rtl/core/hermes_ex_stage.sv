// SPDX-License-Identifier: MIT
// Execute stage of hermes_engine: operand forwarding (selected in ID: the
// results in MEM and WB), the ALU, the branch compare, mul's first clock
// (hermes_multiplier), the radix-4 divider, address generation and bounds
// (hermes_lsu), every fault check, the call depth, the redirect of a
// mispredicted jump or exit, and the EX/MEM register.
//
// Every fault is detected here, and side effects happen here or later, so
// an instruction that faults changes nothing the run leaves behind;
// older instructions still retire. A redirect or a stop takes effect from
// a register a clock later (redir_o, and the run control's stop): what
// entered ID and EX meanwhile is younger and is dropped (ex_live), so no
// fetch or stage enable waits for the EX result. A late jump (on a
// load's value, hermes_id_stage) passes undecided; behind it only an instruction that changes nothing
// before MEM fires, and MEM drops it if the jump redirects. A data load
// or store goes out from here as it fires when MEM does not need the
// port, so that a load's response arrives while it is in WB.
//
// A slot load's value exists only as the port's response, in the clock
// WB retires the load: no instruction fires on it. One that forwards it
// from WB waits here and takes it into its operand register then; a store
// or a late jump taking it as a late operand waits while the load is in
// MEM and fires as it retires (MEM then takes the value from WB's lv_o).
module hermes_ex_stage #(
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic                         start_i,

  // The ID/EX register.
  input  logic                         ex_valid_i,
  input  hermes_core_pkg::id_ex_t      ex_i,

  // Run state.
  input  logic                         abort_i,
  input  logic                         budget_out_i,
  input  logic                         stop_i,
  input  logic                         late_redir_i,   // MEM redirects (a late jump mispredicted a clock ago)
  input  logic                         copy_busy_i,
  input  logic                         clearing_i,     // stack tags being cleared
  input  logic [31:0]                  code_words_i,
  input  logic [31:0]                  prog_len_i,
  input  logic [31:0]                  prog_bar4_i,
  input  logic [31:0]                  data_bar4_i,
  input  logic [31:0]                  map_bar4_i,

  // Forwarding source besides mem_q: WB's value; WB's slot load, its
  // value (the response) and whether it still waits for it; the late
  // operand MEM's store takes.
  input  logic [63:0]                  wb_rd_value_i,
  input  logic                         wb_port_i,
  input  logic                         wb_wait_i,
  input  logic [63:0]                  wb_load_value_i,
  input  logic [63:0]                  mem_late_value_i,
  input  logic                         mem_port_load_i,     // MEM holds a slot load whose value comes to WB

  // MEM: stall, its use of the data port and of the stack.
  input  logic                         mem_stall_i,
  input  logic                         mem_port_wanted_i,  // MEM's slot access not yet sent
  input  logic                         mem_stack_amo_i,    // a stack atomic is in MEM
  input  logic                         mem_stack_late_wr_i,// a late store writes the stack in MEM
  input  logic                         port_free_i,        // the pipeline may request: no copy, no helper, room
  input  logic                         dmem_gnt_i,

  // Call stack: the frame an exit restores, and whether a call's frame is
  // still on its way there.
  input  logic [31:0]                  cs_ret_pc_i,
  input  logic                         call_in_flight_i,

  // Helper sequencer.
  input  logic                         hlp_done_i,
  input  logic                         hlp_hold_i,
  input  logic [3:0]                   hlp_cause_i,
  input  logic [63:0]                  hlp_fault_addr_i,
  input  logic [63:0]                  hlp_result_i,
  output logic                         hlp_call_o,
  output logic                         hlp_fire_o,
  output logic                         hlp_retire_o,

  // Stage control.
  output logic                         ex_live_o,
  output logic                         ex_ready_o,
  output logic                         ex_fire_o,
  output logic                         ex_fault_o,
  output logic                         ex_final_o,     // the last exit
  // The fault record, in two parts (the run control picks one a clock
  // later): without the late checks, and for a taken jump or an access
  // out of bounds (ex_fault_late_o).
  output logic [3:0]                   ex_cause_o,
  output logic [63:0]                  ex_fault_addr_o,
  output logic                         ex_fault_late_o,
  output logic [3:0]                   ex_cause_late_o,
  output logic [63:0]                  ex_fault_addr_late_o,
  output logic [63:0]                  ex_a_o,         // the operands, forwarded (refresh while waiting)
  output logic [63:0]                  ex_b_o,
  output logic                         ex_keep_a_o,    // ... a slot load's value still to come from WB
  output logic                         ex_keep_b_o,
  output logic                         ex_rd_we_o,     // the register it writes, if it fires
  output logic [3:0]                   ex_rd_o,
  output logic                         redir_o,        // registered
  output logic [31:0]                  redir_pc_o,

  // Branch predictor update.
  output logic                         bp_upd_o,
  output logic [1:0]                   bp_ctr_o,
  output logic                         br_taken_o,

  // Call depth; an exit's restore of r6-r9.
  output logic [2:0]                   depth_o,
  output logic [2:0]                   depth_d_o,
  output logic                         rf_restore_o,

  // The access size of the instruction in EX; a store to the stack.
  output logic [1:0]                   size_o,
  output logic                         stack_we_o,
  output logic [11:0]                  stack_off_o,
  output logic [11:0]                  stack_off_p8_o,
  output logic [63:0]                  stack_wdata_o,

  // A data load or store issued from EX (store data: stack_wdata_o).
  output logic                         issue_o,
  output logic                         issue_sel_o,    // issue_o but for a fault: selects the port's fields
  output logic                         issue_store_o,
  output logic [31:0]                  issue_bar4_o,
  output logic                         sent_o,         // issued and granted while in EX

  // The EX/MEM register.
  output logic                         mem_valid_o,
  output logic                         mem_call_o,
  output hermes_core_pkg::ex_mem_t     mem_o,
  output logic [63:0]                  mul_result_o    // the product of the mul in MEM
);

  hermes_core_pkg::ex_ctrl_t    c;
  logic        mem_valid_q, mem_call_q, redir_q, ex_sent_q;
  logic [31:0] redir_pc_q;
  hermes_core_pkg::ex_mem_t     mem_q, mem_d;
  logic [2:0]  depth_q, depth_d;

  assign c = ex_i.ctrl;

  logic [63:0] ex_a, ex_b, ex_store_val, ex_result, alu_result, other_result;
  logic [63:0] div_result, lsu_ea, r10_new;
  logic [31:0] lsu_bar4;
  logic [11:0] lsu_stack_off, lsu_stack_off_p8;
  logic        br_taken, lsu_oob, lsu_stack, div_idle, div_done;
  logic        mem_op, call_ok, exit_ret;
  logic        ex_fault, ex_wait, ex_fire, ex_ready, ex_redirect, ex_final;
  logic        ex_live, ex_fault_now, rf_restore, ex_issue;
  logic        jlate, mem_jlate, spec_ok, spec_block, ex_may_start;
  logic        fwd_port_wait, late_port_wait;
  logic [3:0]  ex_cause, ex_cause_late;
  logic [63:0] ex_fault_addr, ex_fault_addr_late;
  logic        ex_fault_late;
  logic [31:0] redirect_pc;

  // Forwarding by the selects ID registered (hermes_id_stage): MEM's
  // result, WB's value, else the operand as ID read it. One select of
  // registers; mem_q.result is never a load's value (ID holds a load's
  // consumer back until the load is in WB). Operand a is dst, or a load's
  // address base (src); operand b is the src register or the immediate,
  // as ID chose: one value for the ALU, jumps, the divider, the multiplier
  // and store data.
  assign ex_a = ex_i.fwd_a_mem ? mem_q.result :
                ex_i.fwd_a_wb  ? wb_rd_value_i : ex_i.opa;
  assign ex_b = ex_i.fwd_b_mem ? mem_q.result :
                ex_i.fwd_b_wb  ? wb_rd_value_i : ex_i.opb;
  assign ex_store_val = ex_b;
  assign mem_op       = c.load || c.store || c.atomic;

  // A slot load's value (see the header): an operand forwarded from WB's
  // slot load waits for it; a late operand waits while its load is in MEM.
  assign fwd_port_wait  = (ex_i.fwd_a_wb || ex_i.fwd_b_wb) && wb_port_i;
  assign late_port_wait = (ex_i.jlate_a || ex_i.jlate_b || ex_i.wdata_late) && mem_port_load_i;

  hermes_alu u_alu (
    .op_i     (ex_i.alu),
    .a_i      (ex_a),
    .b_i      (ex_b),
    .result_o (alu_result)
  );

  hermes_branch_cmp u_branch_cmp (
    .op_i    (ex_i.insn[7:4]),
    .jmp32_i (c.jmp32),
    .a_i     (ex_a),
    .b_i     (ex_b),
    .taken_o (br_taken)
  );

  // (A faulting jump may move its counter too: the run ends there, and the
  // next run's copy sets every counter again.)
  // A late jump updates from MEM; a jump behind one (mem_jlate) does not.
  assign bp_upd_o   = ex_fire && c.jmp && !jlate && !mem_jlate && !copy_busy_i &&
                      (ex_i.insn[7:4] != hermes_core_pkg::JMP_JA);
  assign bp_ctr_o   = ex_i.ctr;
  assign br_taken_o = br_taken;

  hermes_divider u_divider (
    .clk_i,
    .rst_ni,
    .start_i  (ex_may_start && c.div && !ex_fault_now && div_idle),
    .clear_i  (ex_fire || start_i),
    .is64_i   (c.alu64),
    .signed_i (c.div_signed),
    .mod_i    (c.div_mod),
    .a_i      (ex_a),
    .b_i      (ex_b),
    .idle_o   (div_idle),
    .done_o   (div_done),
    .result_o (div_result)
  );

  // mul: the multiplier latches its partial products as the mul leaves
  // EX, and MEM takes the product from it (mul_result_o) a clock later:
  // no path of a one-clock 64-bit multiply, and no wait in EX. Its value
  // is late like a load's (ID holds a consumer back while it is in EX).
  hermes_multiplier u_multiplier (
    .clk_i,
    .start_i  (ex_fire && c.mul),
    .is64_i   (c.alu64),
    .a_i      (ex_a),
    .b_i      (ex_b),
    .result_o (mul_result_o)
  );

  hermes_lsu u_lsu (
    .base_i      (ex_a),          // a load's src (ID reads it as operand a)
    .off_i       (ex_i.insn[31:16]),
    .bounds_i    (ex_i.bounds),
    .prog_bar4_i (prog_bar4_i),
    .data_bar4_i (data_bar4_i),
    .map_bar4_i  (map_bar4_i),
    .ea_o        (lsu_ea),
    .oob_o       (lsu_oob),
    .stack_o     (lsu_stack),
    .bar4_o      (lsu_bar4),
    .stack_off_o (lsu_stack_off),
    .stack_off_p8_o (lsu_stack_off_p8)
  );

  // The call depth: one frame per open call above frame 0.
  always_comb begin
    depth_d = depth_q;
    if (start_i)                               depth_d = '0;
    else if (ex_fire && c.call && !call_fault) depth_d = depth_q + 3'd1;
    else if (rf_restore)                       depth_d = depth_q - 3'd1;
  end

  assign call_ok  = (depth_q != 3'd7);
  assign exit_ret = (depth_q != 3'd0);

  // Fault checks in ISA order: abort, budget, illegal, then the
  // instruction's own fault. A fetch fault's address is the program base
  // plus 8 times the slot index it would have fetched: the jump or call
  // target, the code's end or an exit's return pc, each added up from
  // registers beside the checks (no adder after the decision).
  // The record comes in two parts that the run control registers and
  // selects between a clock later: the late one for a taken jump or an
  // access out of bounds (the branch compare and the bounds check, EX's
  // deepest logic, decide only that one bit), the other for every fault
  // known without them.
  logic        fetch_fault, late_jmp, late_mem;
  logic [63:0] fa_target, fa_end, fa_ret;
  assign fa_target = hermes_core_pkg::PROG_BASE + {{27{ex_i.target[33]}}, ex_i.target, 3'b0};
  assign fa_end    = hermes_core_pkg::PROG_BASE + {29'b0, code_words_i, 3'b0};
  assign fa_ret    = hermes_core_pkg::PROG_BASE + {29'b0, cs_ret_pc_i, 3'b0};
  assign late_jmp  = !ex_fault_now && c.jmp;
  assign late_mem  = !ex_fault_now && mem_op;
  assign ex_fault_late    = (late_jmp && br_taken) || (late_mem && lsu_oob);
  assign ex_cause_late    = c.jmp ? (ex_i.target_ok ? hermes_core_pkg::FAULT_NONE : hermes_core_pkg::FAULT_FETCH) :
                            c.load ? hermes_core_pkg::FAULT_LOAD : hermes_core_pkg::FAULT_STORE;
  assign ex_fault_addr_late = c.jmp ? fa_target : lsu_ea;

  // The record without the late checks: a jump not taken, an access in
  // bounds.
  always_comb begin
    ex_cause    = hermes_core_pkg::FAULT_NONE;
    fetch_fault = 1'b0;
    if (abort_i && !hlp_hold_i) begin
      ex_cause = hermes_core_pkg::FAULT_ABORTED;
    end else if (budget_out_i) begin
      ex_cause = hermes_core_pkg::FAULT_BUDGET;
    end else if (c.illegal) begin
      ex_cause = hermes_core_pkg::FAULT_ILLEGAL;
    end else if (c.helper) begin
      // Unknown ids at once; the others once the helper is done (ex_wait).
      // Without a fault of its own a call in the last slot runs off the
      // end instead of retiring (the helper ran dry: nothing changed).
      if (hlp_done_i) begin
        ex_cause    = hlp_cause_i;
        fetch_fault = (hlp_cause_i == hermes_core_pkg::FAULT_NONE) && ex_i.fall_bad;
      end
    end else if (c.call) begin
      if (!call_ok)              ex_cause = hermes_core_pkg::FAULT_CALL_DEPTH;
      else if (!ex_i.target_ok)  fetch_fault = 1'b1;
    end else if (c.is_exit) begin
      // (cs_ret_pc_i is the frame's only once no call is in flight: until
      // then the exit waits, and must not fault on a stale word)
      fetch_fault = exit_ret && !call_in_flight_i && cs_ret_pc_i >= code_words_i;
    end else if (ex_i.fall_bad) begin
      fetch_fault = 1'b1;
    end
    if (fetch_fault) ex_cause = hermes_core_pkg::FAULT_FETCH;
  end

  always_comb begin
    if (ex_fault_now)   ex_fault_addr = 64'd0;
    else if (c.helper)  ex_fault_addr = (hlp_cause_i != hermes_core_pkg::FAULT_NONE) ? hlp_fault_addr_i : fa_end;
    else if (c.call)    ex_fault_addr = call_ok ? fa_target : 64'd0;
    else if (c.is_exit) ex_fault_addr = fa_ret;
    else                ex_fault_addr = fa_end;
  end

  // The same fault decision by the kind of instruction in EX, so that each
  // consumer waits only for the check that can hit it: a jump's enables
  // for the branch compare, a store's for its bounds, a call's and an
  // exit's for registers and the call stack's word. ex_fault is their OR,
  // each selected by a decoded bit, not the cause's priority chain (which
  // only picks the name; the two agree, asserted).
  logic jmp_fault, call_fault, exit_fault, mem_fault, hlp_fault, plain;
  assign jmp_fault  = ex_fault_now || (br_taken ? !ex_i.target_ok : ex_i.fall_bad);
  assign call_fault = ex_fault_now || !call_ok || !ex_i.target_ok;
  assign exit_fault = ex_fault_now || (exit_ret && !call_in_flight_i && cs_ret_pc_i >= code_words_i);
  assign mem_fault  = ex_fault_now || lsu_oob || ex_i.fall_bad;
  assign hlp_fault  = ex_fault_now ||
                      (hlp_done_i && (hlp_cause_i != hermes_core_pkg::FAULT_NONE || ex_i.fall_bad));
  assign plain      = !(c.jmp || c.call || c.is_exit || mem_op || c.helper);
  assign ex_fault   = (c.jmp && jmp_fault) || (c.call && call_fault) || (c.is_exit && exit_fault) ||
                      (mem_op && mem_fault) || (c.helper && hlp_fault) ||
                      (plain && (ex_fault_now || ex_i.fall_bad));

  // Reasons to stay in EX: the helper or the divider is busy; an
  // exit needs its frame saved; the stack's tags are being cleared or a
  // stack atomic is writing back in MEM; a store with a late value writes
  // the stack in MEM and this access needs the stack's port too.
  assign ex_wait = (c.helper && !hlp_done_i) ||
                   (c.div && !div_done) ||
                   (c.is_exit && call_in_flight_i) ||
                   (mem_op && clearing_i) ||
                   (mem_op && (mem_stack_amo_i || (lsu_stack && mem_stack_late_wr_i))) ||
                   fwd_port_wait || late_port_wait;

  // A late jump (jlate: its operand is the value of the load in MEM)
  // passes EX undecided; MEM decides it a clock later. Behind it in MEM
  // (mem_jlate) an instruction fires only if it changes nothing before
  // MEM and cannot fault: an ALU operation, lddw or a jump inside the
  // code; MEM drops it if the late jump redirects (and the run control
  // gives its budget back). Anything else waits for the decision.
  assign jlate      = ex_i.jlate_a || ex_i.jlate_b;
  assign mem_jlate  = mem_valid_q && mem_q.jlate;
  assign spec_ok    = !(c.mul || c.div || mem_op || c.call || c.is_exit || c.helper) &&
                      !ex_i.fall_bad && (!c.jmp || ex_i.target_ok);
  assign spec_block = mem_jlate && (!spec_ok || ex_fault_now);
  // What starts before firing (a divide, a port request, a helper call)
  // starts only on the path and never behind an undecided late jump.
  // (nor on an operand a slot load has yet to give)
  assign ex_may_start = ex_live && !mem_jlate && !fwd_port_wait;

  // ex_live: the instruction in EX is on the path (not younger than a
  // redirect or stop taken in the last clock). It fires when MEM can take
  // it and it need not wait; a fault decided from registers alone
  // (ex_fault_now) does not wait either. Any other fault is known only
  // late in the clock: the instruction fires when its wait is over and
  // faults then, so that firing never depends on the EX result.
  assign ex_live      = ex_valid_i && !redir_q && !late_redir_i && !stop_i;
  assign ex_fault_now = (abort_i && !hlp_hold_i) || budget_out_i || c.illegal;
  assign ex_fire      = ex_live && !mem_stall_i && !spec_block && (ex_fault_now || !ex_wait);
  assign ex_ready     = ex_valid_i ? ex_fire : !mem_stall_i;
  // A jump redirects when its outcome differs from the prediction made in ID.
  // (A call was predicted in ID unless it faults: no redirect of its own.
  // An exit predicted in ID carries the return pc it fetched in target.)
  assign ex_redirect = (c.jmp && !jlate && !jmp_fault && (br_taken != ex_i.pred)) ||
                       (c.is_exit && !exit_fault && exit_ret &&
                        (!ex_i.pred || ex_i.target[31:0] != cs_ret_pc_i));
  assign ex_final    = c.is_exit && !exit_fault && !exit_ret;
  assign redirect_pc = c.is_exit ? cs_ret_pc_i :
                       (c.jmp && ex_i.pred) ? ex_i.seq_pc : ex_i.target[31:0];

  assign rf_restore = ex_fire && c.is_exit && !exit_fault && exit_ret;

  // r10 after a call (one frame up) or a return (one frame down).
  assign r10_new = c.call ? hermes_core_pkg::STACK_BASE + {51'b0, {1'b0, depth_q} + 4'd2, 9'b0}
                          : hermes_core_pkg::STACK_BASE + {52'b0, depth_q, 9'b0};

  // The EX result: the ALU's (zero for any other instruction: ID clears
  // its selects) ORed with the others', each selected by a decoded bit,
  // mutually exclusive: an AND-OR, no priority chain behind the ALU.
  assign other_result = (c.helper              ? hlp_result_i : 64'd0) |
                        (c.div                 ? div_result   : 64'd0) |
                        (c.lddw                ? ex_i.imm     : 64'd0) |
                        ((c.call || c.is_exit) ? r10_new      : 64'd0);
  assign ex_result    = alu_result | other_result;

  // A data load or store issues from EX when MEM does not need the port
  // (no slot access there, or one already sent: an access may go out while
  // a load before it waits for its response). It is then marked sent
  // (ex_sent_q) until it leaves EX; if it is not granted, it issues again
  // from EX or MEM with the same fields. The condition uses no dmem input,
  // so the request never depends on this clock's grant or response. A
  // store issues only when it cannot fault and is on the path (ex_live: no
  // redirect or stop before it; no late jump undecided in MEM), so it is
  // never taken back; one whose value is late goes out from MEM.
  // The port's fields follow ex_issue_sel, which does not wait for the
  // bounds check: only the request itself (ex_issue) does.
  logic ex_issue_sel;
  assign ex_issue_sel = ex_may_start && (c.load || (c.store && !ex_i.wdata_late)) &&
                        !ex_wait && !lsu_stack && port_free_i && !ex_sent_q && !mem_port_wanted_i;
  assign ex_issue     = ex_issue_sel && !mem_fault;

  // (abort is not in hlp_call: a sequence under way completes and then
  // answers; only one that has not started, or still waits for the map
  // lock, is cut short by the abort fault)
  assign hlp_call_o   = ex_may_start && c.helper && !budget_out_i && !c.illegal;
  assign hlp_fire_o   = ex_fire && c.helper;
  assign hlp_retire_o = !hlp_fault;

  always_comb begin
    mem_d.rd_we     = c.call || c.helper || (c.is_exit && exit_ret) || (c.rd_we && !c.is_exit);
    mem_d.rd        = (c.call || c.is_exit) ? 4'd10 : c.helper ? 4'd0 : c.rd;
    mem_d.kind      = c.load   ? hermes_core_pkg::MEM_LOAD :
                      c.store  ? hermes_core_pkg::MEM_STORE :
                      c.atomic ? hermes_core_pkg::MEM_ATOMIC : hermes_core_pkg::MEM_NONE;
    mem_d.size      = c.size;
    mem_d.on_stack  = lsu_stack;
    mem_d.memsx     = c.memsx;
    mem_d.mul       = c.mul;
    mem_d.wdata_late = ex_i.wdata_late;
    mem_d.depth     = depth_q;
    mem_d.stack_off = lsu_stack_off;
    mem_d.amo       = ex_i.insn[39:32];
    mem_d.pc        = ex_i.pc;
    mem_d.seq_pc    = ex_i.seq_pc;
    mem_d.bar4      = lsu_bar4;
    mem_d.insn      = ex_i.insn;
    mem_d.result    = ex_result;
    mem_d.ea        = c.jmp ? ex_a : lsu_ea;   // a late jump's dst in MEM
    mem_d.jlate     = c.jmp && jlate;
    mem_d.jlate_a   = ex_i.jlate_a;
    mem_d.jlate_b   = ex_i.jlate_b;
    // A late operand's load: in MEM now (WB next), else a slot load
    // retiring now (EX waited for it while it was in MEM).
    mem_d.late_lv   = (jlate || ex_i.wdata_late) && !mem_valid_q;
    mem_d.pred      = ex_i.pred;
    mem_d.ctr       = ex_i.ctr;
    mem_d.target    = ex_i.target[31:0];
    mem_d.wdata     = ex_store_val;
    mem_d.cmp       = ex_i.opc;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      depth_q     <= '0;
      redir_q     <= 1'b0;
      mem_valid_q <= 1'b0;
      mem_call_q  <= 1'b0;
      ex_sent_q   <= 1'b0;
    end else begin
      depth_q <= depth_d;
      if (start_i) begin
        redir_q     <= 1'b0;
        mem_valid_q <= 1'b0;
        ex_sent_q   <= 1'b0;
      end else begin
        redir_q <= ex_fire && ex_redirect;
        if (!mem_stall_i) begin
          mem_valid_q <= ex_fire && !ex_fault;
          mem_call_q  <= ex_fire && c.call && !call_fault;
        end
        if (ex_fire)                     ex_sent_q <= 1'b0;
        else if (ex_issue && dmem_gnt_i) ex_sent_q <= 1'b1;
      end
    end
  end

  // A store in MEM with its value late that waits for the port keeps the
  // value WB has in its first clock (the load it came from moves on).
  always_ff @(posedge clk_i) begin
    if (ex_fire) redir_pc_q <= redirect_pc;
    if (!mem_stall_i) begin
      mem_q <= mem_d;
    end else if (mem_q.wdata_late) begin
      mem_q.wdata      <= mem_late_value_i;
      mem_q.wdata_late <= 1'b0;
    end
  end

  assign ex_live_o       = ex_live;
  assign ex_ready_o      = ex_ready;
  assign ex_fire_o       = ex_fire;
  assign ex_fault_o      = ex_fault;
  assign ex_final_o      = ex_final;
  assign ex_cause_o      = ex_cause;
  assign ex_fault_addr_o = ex_fault_addr;
  assign ex_fault_late_o = ex_fault_late;
  assign ex_cause_late_o = ex_cause_late;
  assign ex_fault_addr_late_o = ex_fault_addr_late;
  assign ex_a_o          = (ex_i.fwd_a_wb && wb_port_i) ? wb_load_value_i : ex_a;
  assign ex_b_o          = (ex_i.fwd_b_wb && wb_port_i) ? wb_load_value_i : ex_b;
  assign ex_keep_a_o     = ex_i.fwd_a_wb && wb_wait_i;
  assign ex_keep_b_o     = ex_i.fwd_b_wb && wb_wait_i;
  assign ex_rd_we_o      = mem_d.rd_we;
  assign ex_rd_o         = mem_d.rd;
  assign redir_o         = redir_q;
  assign redir_pc_o      = redir_pc_q;
  assign depth_o         = depth_q;
  assign depth_d_o       = depth_d;
  assign rf_restore_o    = rf_restore;
  assign size_o          = c.size;
  // (a store whose value is late writes the stack from MEM)
  // A stack store writes when its base is in the stack's range (one
  // compare with ID's bounds), without waiting for the whole bounds
  // decision or the fault it feeds.
  assign stack_we_o      = ex_fire && c.store && lsu_stack && !ex_i.wdata_late;
  assign stack_off_o     = lsu_stack_off;
  assign stack_off_p8_o  = lsu_stack_off_p8;
  assign stack_wdata_o   = ex_store_val;
  assign issue_o         = ex_issue;
  assign issue_sel_o     = ex_issue_sel;
  assign issue_store_o   = c.store;
  assign issue_bar4_o    = lsu_bar4;
  assign sent_o          = ex_sent_q;
  assign mem_valid_o     = mem_valid_q;
  assign mem_call_o      = mem_call_q;
  assign mem_o           = mem_q;

  // (late: ID's hazard check reads it)
  logic unused_ex;
  assign unused_ex = c.late;

`ifndef SYNTHESIS
  // The bounds rule as docs/ISA.md states it, on ea: all the access's
  // bytes in one region, a store to the program slot past the code, a
  // store to the map slot in its storage. hermes_lsu checks the base
  // against ID's ranges instead; the two must agree.
  function automatic logic ref_in_bounds(input logic [63:0] ea, input logic [1:0] size,
                                         input logic store, input logic [31:0] prog_len,
                                         output logic on_stack);
    logic [63:0] offs, last;
    offs = {36'b0, ea[27:0]};
    last = offs + (64'd1 << size);
    on_stack = 1'b0;
    ref_in_bounds = 1'b0;
    if (ea[63:32] == 32'd0) begin
      unique case (ea[31:28])
        hermes_core_pkg::REGION_PROG:
          ref_in_bounds = last <= 64'(PROG_SLOT_BYTES) && (!store || offs >= {32'b0, prog_len});
        hermes_core_pkg::REGION_DATA:
          ref_in_bounds = last <= 64'(DATA_SLOT_BYTES);
        hermes_core_pkg::REGION_STACK: begin
          ref_in_bounds = last <= 64'(hermes_core_pkg::STACK_BYTES);
          on_stack      = ref_in_bounds;
        end
        hermes_core_pkg::REGION_MAP:
          ref_in_bounds = last <= 64'(MAP_SLOT_BYTES) &&
                          (!store || offs >= {36'b0, hermes_core_pkg::MAP_STORE_MIN});
        default: ref_in_bounds = 1'b0;
      endcase
    end
  endfunction
  logic ref_ok, ref_stack;
  always_comb ref_ok = ref_in_bounds(lsu_ea, c.size, c.store || c.atomic, prog_len_i, ref_stack);

  always_ff @(posedge clk_i) begin
    if (rst_ni && ex_valid_i && mem_op) begin
      assert (lsu_oob == !ref_ok && lsu_stack == ref_stack)
        else $error("hermes_ex_stage: the bounds from ID's ranges disagree with the rule on ea");
    end
    if (rst_ni) begin
      // Only a load or store waiting in EX is marked as sent from there.
      assert (!ex_sent_q || (ex_valid_i && (c.load || c.store)))
        else $error("hermes_ex_stage: ex_sent_q without a load or store in EX");
      // An exit restores a frame only once it is readable.
      assert (!rf_restore || !call_in_flight_i)
        else $error("hermes_ex_stage: restore of a frame in flight");
      // Nothing younger than a fault or the final exit fires (it may have
      // entered EX in the clock the stop was decided; it is dropped).
      assert (!(stop_i && ex_fire)) else $error("hermes_ex_stage: an instruction fired after the stop");
      // A redirect is never a stop: one taken a clock ago has no fault.
      assert (!(redir_q && stop_i)) else $error("hermes_ex_stage: redirect and stop together");
      // An exit predicted in ID fetched the pc its frame returns to.
      assert (!(ex_fire && ex_redirect && c.is_exit && ex_i.pred))
        else $error("hermes_ex_stage: an exit mispredicted its return pc");
      // The fault decision by kind agrees with the cause.
      assert (!ex_valid_i || ex_fault == ((ex_fault_late ? ex_cause_late : ex_cause) != hermes_core_pkg::FAULT_NONE))
        else $error("hermes_ex_stage: fault by kind disagrees with the cause");
      // A store whose value is late fires as its load leaves MEM, so that
      // WB has the value in the store's first clock in MEM.
      // So does a late jump; either waits only while a slot load it takes
      // its late operand from is in MEM, and fires as that load retires.
      assert (!(ex_live && (jlate || ex_i.wdata_late) && !mem_stall_i && !late_port_wait) || ex_fire)
        else $error("hermes_ex_stage: a late operand's user waits while its load leaves MEM");
      assert (!(ex_fire && !ex_fault && (jlate || ex_i.wdata_late) && !mem_valid_q) || wb_port_i)
        else $error("hermes_ex_stage: a late operand with no slot load retiring");
      assert (!(ex_valid_i && ex_i.wdata_late) || (c.store && !ex_i.fwd_b_wb))
        else $error("hermes_ex_stage: wdata_late on an instruction that is not such a store");
      // A late jump cannot fault (ID checked both ways) and nothing that
      // can fault or change anything fires behind one.
      assert (!(ex_valid_i && jlate) || (c.jmp && ex_i.target_ok && !ex_i.fall_bad))
        else $error("hermes_ex_stage: a late jump that could fault");
      assert (!(ex_fire && mem_jlate) || (spec_ok && !ex_fault && !jlate))
        else $error("hermes_ex_stage: an instruction fired behind a late jump that may not");
      // A call that retires went to its target from ID already.
      assert (!(ex_fire && !ex_fault && c.call && !ex_i.pred))
        else $error("hermes_ex_stage: a call retires without its prediction");
    end
  end
`endif

endmodule
