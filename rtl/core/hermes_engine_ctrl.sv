// SPDX-License-Identifier: MIT
// Run control of one engine (hermes_engine): latches a command at start,
// copies the program into the instruction memory (one slot load a clock on
// the data port), initialises the register file (11 clocks, beside the
// copy), keeps the instruction budget, counts the data port's outstanding
// responses, records the first fault, and ends the run once the pipeline
// has drained behind a fault or the final exit. Also the stack's run tags:
// a new epoch per run, and the clear loop when they wrap.
module hermes_engine_ctrl #(
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAP_OFF         = 0,
  parameter int unsigned MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE,
  parameter int unsigned IMEM_WORDS      = PROG_SLOT_BYTES / 8,
  parameter int unsigned TAG_W           = 8
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // The command (engine ports).
  input  logic        start_i,
  input  logic [7:0]  prog_slot_i,
  input  logic [7:0]  data_slot_i,
  input  logic [31:0] prog_len_i,
  input  logic [31:0] data_len_i,
  input  logic [31:0] max_insns_i,
  input  logic        abort_i,
  output logic        start_o,        // a run starts this clock
  output logic        busy_o,
  output logic        done_o,
  output logic [3:0]  fault_cause_o,
  output logic [31:0] fault_pc_o,
  output logic [63:0] fault_addr_o,
  output logic [63:0] r0_o,
  output logic [63:0] insns_o,
  output logic [63:0] cycles_o,

  // Run fields.
  output logic [31:0] prog_bar4_o,
  output logic [31:0] data_bar4_o,
  output logic [31:0] map_bar4_o,
  output logic [31:0] prog_len_o,
  output logic [31:0] code_words_o,   // slots of code (at most IMEM_WORDS)
  output logic        exec_ok_o,      // fetch may start: registers initialised
  output logic        stop_o,         // a fault or the final exit fired
  output logic        abort_o,
  output logic        budget_out_o,   // no instruction may issue any more

  // The code copy on the data port.
  output logic        copy_busy_o,
  output logic        copy_req_o,
  output logic [31:0] copy_addr_o,
  output logic [31:0] copy_recv_o,    // slots arrived so far
  input  logic        dmem_req_i,     // the port's request (any source)
  input  logic        dmem_gnt_i,
  input  logic        dmem_rvalid_i,
  output logic        port_free_o,    // another request may be outstanding
  output logic        out_zero_o,     // the port owes no response
  output logic        out_one_o,      // it owes exactly one
  output logic        out_two_o,      // it owes exactly two
  output logic        out_three_o,    // it owes exactly three

  // Register file initialisation (through its write port).
  output logic        init_we_o,
  output logic [3:0]  init_idx_o,
  output logic [63:0] init_val_o,

  // Stack run tags.
  output logic [TAG_W-1:0] epoch_o,
  output logic        clearing_o,
  output logic [7:0]  clear_idx_o,

  // The instruction in EX, and what the run ends on.
  input  logic        ex_fire_i,
  input  logic        squash_i,       // an instruction that fired behind a late jump is dropped
  input  logic        ex_fault_i,
  input  logic        ex_final_i,
  input  logic [3:0]  ex_cause_i,
  input  logic [31:0] ex_pc_i,
  input  logic [63:0] ex_fault_addr_i,
  input  logic        ex_fault_late_i,      // a taken jump or an access out of bounds:
  input  logic [3:0]  ex_cause_late_i,      // ... its record instead
  input  logic [63:0] ex_fault_addr_late_i,
  input  logic        retire_i,       // an instruction retires (WB)
  input  logic        drained_i,      // no instruction in EX, MEM or WB; helper idle
  input  logic [63:0] r0_i
);

  localparam logic [31:0] PROG_REGION_BYTES = 32'(NUM_PROG_SLOTS * PROG_SLOT_BYTES);
  localparam logic [7:0]  OUTSTANDING_MAX = 8'hff;

  hermes_core_pkg::run_state_e       state_q;
  logic             copy_busy_q, copy_hold_q;
  logic [31:0]      prog_bar4_q, data_bar4_q, map_bar4_q, prog_len_q, code_words_q, data_len_q;
  // budget_q: instructions the run may still issue (a down counter: its
  // zero test is cheaper than comparing an issue count with the limit)
  logic [31:0]      budget_q, copy_issue_q, copy_recv_q;
  // budget_zero_q: budget_q == 0, kept beside it from tests of budget_q
  // alone: the zero test gates whether EX fires, which decides what IF
  // fetches in the same clock (a 32-bit test there cost 2 levels)
  logic             budget_zero_q;
  logic [7:0]       outstanding_q;
  // The small counts MEM and the copy test, kept as flags beside the
  // counter and moved with it: a load's completion then reads one flag,
  // not an 8-bit compare behind EX's select of the count it expects.
  logic             out_zero_q, out_one_q, out_two_q, out_three_q, port_free_q;
  logic             stop_q, abort_q, done_q;
  logic [3:0]       fault_cause_q;
  logic [31:0]      fault_pc_q;
  logic [63:0]      fault_addr_q, r0_q, insns_q, cycles_q;
  // The fault record is taken a clock after the fault fires, from
  // registers loaded every clock: the fault decision, EX's deepest logic,
  // then ends at one flag instead of enabling 100 bits whose address
  // waits for the bounds check too. The run cannot finish before it is
  // taken (finish needs stop_q, set in the same clock as fault_take_q).
  logic             fault_take_q;
  logic [3:0]       ex_cause_q;
  logic [31:0]      ex_pc_q;
  logic [63:0]      ex_fault_addr_q;
  logic             ex_fault_late_q;
  logic [3:0]       ex_cause_late_q;
  logic [63:0]      ex_fault_addr_late_q;
  logic [TAG_W-1:0] epoch_q;
  logic             clearing_q;
  logic [7:0]       clear_idx_q;
  logic             initing_q;
  logic [3:0]       init_idx_q;

  logic             start, copy_req, copy_end, finish, port_take;
  logic [31:0]      prog_words;

  assign start      = start_i && (state_q == hermes_core_pkg::RUN_IDLE);
  assign prog_words = {3'b0, prog_len_i[31:3]};
  // The copy issues one load per clock; it stops early once the run has
  // ended or been aborted (never withdrawing a request not yet granted).
  assign copy_req   = copy_busy_q && (copy_issue_q != code_words_q) &&
                      port_free_q && (copy_hold_q || !(stop_q || abort_q));
  assign copy_end   = copy_busy_q && !copy_hold_q && out_zero_q &&
                      (copy_issue_q == code_words_q || stop_q || abort_q);
  assign finish     = (state_q == hermes_core_pkg::RUN_ACTIVE) && stop_q && drained_i &&
                      out_zero_q && !copy_busy_q;
  assign port_take  = dmem_req_i && dmem_gnt_i;

  // The counter's next values are added from the register alone, so that
  // the grant only selects. (q - 1 is written as ~(~q + 1): with the same
  // operand as q + 1, yosys would share one adder behind a select of +1
  // and -1, and put the grant in front of the carry chain.)
  logic out_up, out_down;
  logic [7:0] out_inc, out_dec;
  assign out_inc  = outstanding_q + 8'd1;
  assign out_dec  = ~(~outstanding_q + 8'd1);
  assign out_up   = port_take && !dmem_rvalid_i;
  assign out_down = !port_take && dmem_rvalid_i;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      outstanding_q <= '0;
      out_zero_q    <= 1'b1;
      out_one_q     <= 1'b0;
      out_two_q     <= 1'b0;
      out_three_q   <= 1'b0;
      port_free_q   <= 1'b1;
    end else if (out_up) begin
      outstanding_q <= out_inc;
      out_zero_q    <= 1'b0;
      out_one_q     <= out_zero_q;
      out_two_q     <= out_one_q;
      out_three_q   <= out_two_q;
      port_free_q   <= (outstanding_q != OUTSTANDING_MAX - 8'd1);
    end else if (out_down) begin
      outstanding_q <= out_dec;
      out_zero_q    <= out_one_q;
      out_one_q     <= out_two_q;
      out_two_q     <= out_three_q;
      out_three_q   <= (outstanding_q == 8'd4);
      port_free_q   <= 1'b1;
    end
  end

  always_comb begin
    unique case (init_idx_q)
      4'd1:    init_val_o = hermes_core_pkg::DATA_BASE;
      4'd2:    init_val_o = {32'b0, data_len_q};
      4'd10:   init_val_o = hermes_core_pkg::R10_INIT;
      default: init_val_o = 64'd0;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= hermes_core_pkg::RUN_IDLE;
      copy_busy_q   <= 1'b0;
      copy_hold_q   <= 1'b0;
      prog_bar4_q   <= '0;
      data_bar4_q   <= '0;
      map_bar4_q    <= '0;
      prog_len_q    <= '0;
      code_words_q  <= '0;
      budget_q      <= '0;
      budget_zero_q <= 1'b1;
      copy_issue_q  <= '0;
      copy_recv_q   <= '0;
      stop_q        <= 1'b0;
      abort_q       <= 1'b0;
      done_q        <= 1'b0;
      fault_cause_q <= '0;
      fault_pc_q    <= '0;
      fault_addr_q  <= '0;
      fault_take_q  <= 1'b0;
      r0_q          <= '0;
      insns_q       <= '0;
      cycles_q      <= '0;
      epoch_q       <= '0;
      clearing_q    <= 1'b1;  // tag RAM content is unknown after configuration
      clear_idx_q   <= '0;
      initing_q     <= 1'b0;
      init_idx_q    <= '0;
      data_len_q    <= '0;
    end else begin
      done_q       <= 1'b0;
      fault_take_q <= 1'b0;
      if (fault_take_q) begin
        fault_cause_q <= ex_fault_late_q ? ex_cause_late_q : ex_cause_q;
        fault_pc_q    <= ex_pc_q;
        fault_addr_q  <= ex_fault_late_q ? ex_fault_addr_late_q : ex_fault_addr_q;
      end

      if (initing_q) begin
        init_idx_q <= init_idx_q + 4'd1;
        if (init_idx_q == 4'd10) initing_q <= 1'b0;
      end

      if (state_q != hermes_core_pkg::RUN_IDLE) cycles_q <= cycles_q + 64'd1;
      if (retire_i)            insns_q  <= insns_q + 64'd1;

      if (clearing_q) begin
        clear_idx_q <= clear_idx_q + 8'd1;
        if (clear_idx_q == 8'hff) clearing_q <= 1'b0;
      end

      if (start) begin
        state_q       <= hermes_core_pkg::RUN_ACTIVE;
        copy_busy_q   <= 1'b1;
        copy_hold_q   <= 1'b0;
        prog_bar4_q   <= 32'(prog_slot_i) * 32'(PROG_SLOT_BYTES);
        data_bar4_q   <= PROG_REGION_BYTES + 32'(data_slot_i) * 32'(DATA_SLOT_BYTES);
        map_bar4_q    <= 32'(MAP_OFF) + 32'(prog_slot_i) * 32'(MAP_SLOT_BYTES);
        prog_len_q    <= prog_len_i;
        code_words_q  <= (prog_words > 32'(IMEM_WORDS)) ? 32'(IMEM_WORDS) : prog_words;
        budget_q      <= max_insns_i;
        budget_zero_q <= (max_insns_i == 32'd0);
        data_len_q    <= data_len_i;
        initing_q     <= 1'b1;
        init_idx_q    <= '0;
        copy_issue_q  <= '0;
        copy_recv_q   <= '0;
        stop_q        <= 1'b0;
        abort_q       <= 1'b0;
        fault_cause_q <= '0;
        fault_pc_q    <= '0;
        fault_addr_q  <= '0;
        insns_q       <= '0;
        cycles_q      <= '0;
        epoch_q       <= epoch_q + TAG_W'(1);
      end else begin
        if (abort_i && state_q != hermes_core_pkg::RUN_IDLE) abort_q <= 1'b1;

        if (copy_busy_q) begin
          copy_hold_q <= copy_req && !dmem_gnt_i;
          if (copy_req && dmem_gnt_i) copy_issue_q <= copy_issue_q + 32'd1;
          if (dmem_rvalid_i)          copy_recv_q  <= copy_recv_q + 32'd1;
          if (copy_end)               copy_busy_q  <= 1'b0;
        end

        if (ex_fire_i) begin
          if (ex_fault_i) begin
            stop_q       <= 1'b1;
            fault_take_q <= 1'b1;
          end else if (ex_final_i) begin
            stop_q <= 1'b1;
          end
          // (also for a faulting instruction: the run ends with it)
          budget_q      <= budget_q - 32'd1;
          budget_zero_q <= (budget_q == 32'd1);
        end else if (squash_i) begin
          // (nothing fires in the clock of a late redirect)
          budget_q      <= budget_q + 32'd1;
          budget_zero_q <= (budget_q == 32'hffff_ffff);
        end

        if (finish) begin
          state_q <= hermes_core_pkg::RUN_IDLE;
          done_q  <= 1'b1;
          r0_q    <= r0_i;
          // Last epoch used: clear the tags now, while idle.
          if (epoch_q == '1) begin
            clearing_q  <= 1'b1;
            clear_idx_q <= '0;
            epoch_q     <= '0;
          end
        end
      end
    end
  end

  assign start_o            = start;
  assign busy_o             = (state_q != hermes_core_pkg::RUN_IDLE);
  assign done_o             = done_q;
  assign fault_cause_o      = fault_cause_q;
  assign fault_pc_o         = fault_pc_q;
  assign fault_addr_o       = fault_addr_q;
  assign r0_o               = r0_q;
  assign insns_o            = insns_q;
  assign cycles_o           = cycles_q;
  assign prog_bar4_o        = prog_bar4_q;
  assign data_bar4_o        = data_bar4_q;
  assign map_bar4_o         = map_bar4_q;
  assign prog_len_o         = prog_len_q;
  assign code_words_o       = code_words_q;
  // Execution starts once the register file is initialised. (Stack
  // accesses also wait for a tag clear, which normally ran while idle.)
  assign exec_ok_o          = (state_q == hermes_core_pkg::RUN_ACTIVE) && !initing_q;
  assign stop_o             = stop_q;
  assign abort_o            = abort_q;
  assign budget_out_o       = budget_zero_q;
  assign copy_busy_o        = copy_busy_q;
  assign copy_req_o         = copy_req;
  assign copy_addr_o        = prog_bar4_q + {copy_issue_q[28:0], 3'b0};
  assign copy_recv_o        = copy_recv_q;
  assign port_free_o        = port_free_q;
  assign out_zero_o         = out_zero_q;
  assign out_one_o          = out_one_q;
  assign out_two_o          = out_two_q;
  assign out_three_o        = out_three_q;
  assign init_we_o          = initing_q;
  assign init_idx_o         = init_idx_q;
  assign epoch_o            = epoch_q;
  assign clearing_o         = clearing_q;
  assign clear_idx_o        = clear_idx_q;

  // What EX would report if it faulted this clock (data, not reset).
  always_ff @(posedge clk_i) begin
    ex_cause_q      <= ex_cause_i;
    ex_pc_q         <= ex_pc_i;
    ex_fault_addr_q <= ex_fault_addr_i;
    ex_fault_late_q      <= ex_fault_late_i;
    ex_cause_late_q      <= ex_cause_late_i;
    ex_fault_addr_late_q <= ex_fault_addr_late_i;
  end

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // The fault record is taken while the run that faulted is still on
      // (at the latest in the clock it finishes).
      assert (!fault_take_q || (stop_q && state_q == hermes_core_pkg::RUN_ACTIVE))
        else $error("hermes_engine_ctrl: fault record taken outside its run");
      assert (budget_zero_q == (budget_q == 32'd0))
        else $error("hermes_engine_ctrl: budget_zero_q disagrees with the budget");
      assert (out_zero_q == (outstanding_q == 8'd0) && out_one_q == (outstanding_q == 8'd1) &&
              out_two_q == (outstanding_q == 8'd2) &&
              out_three_q == (outstanding_q == 8'd3) && port_free_q == (outstanding_q != OUTSTANDING_MAX))
        else $error("hermes_engine_ctrl: a count flag disagrees with the outstanding count");
      assert (!(dmem_rvalid_i && !port_take && out_zero_q))
        else $error("hermes_engine_ctrl: a response with nothing outstanding");
    end
  end
`endif

endmodule
