// SPDX-License-Identifier: MIT
// Command processor of one engine: its EHCMDREQ/EHCMDRES/EHCMDCTRL/
// EHENGSTAT registers and the command state machine (Request Slot, Release
// Slot, Run Program, invalid opcode). docs/ARCHITECTURE.md "BAR0" and docs/REGISTERS.md.
//
// Register access semantics (tested in tests/unit/test_commands.cpp):
// - EHCMDREQ is writable only while no command runs (else SLVERR, ignored).
// - EHCMDRES and EHENGSTAT are read-only (writes SLVERR).
// - EHCMDCTRL word 0, per byte on write: EXEC 1 starts a command when idle
//   (ignored while busy); DONE 0 acknowledges (clears DONE and the IRQ);
//   ABORT 1 stops a running program (fault 7), also one the queue dispatcher
//   runs on the engine; IRQ enable takes bit 0.
//   Word 1 is reserved: reads 0, writes ignored.
module hermes_cmd_proc #(
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAX_INSNS       = hermes_pkg::DEFAULT_MAX_INSNS
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  // Register bus slice for this engine.
  input  logic                      reg_req_i,
  input  logic                      reg_we_i,
  input  logic [1:0]                reg_region_i, // 0 REQ, 1 RES, 2 CTRL, 3 STAT
  input  logic [3:0]                reg_word_i,   // 32-bit word inside the region
  input  logic [31:0]               reg_wdata_i,
  input  logic [3:0]                reg_wstrb_i,
  output logic [31:0]               reg_rdata_o,
  output logic                      reg_err_o,

  // Slot allocator port.
  output logic                      alloc_req_o,
  output logic                      alloc_release_o,
  output logic                      alloc_type_o,
  output logic [7:0]                alloc_slot_o,
  input  logic                      alloc_ack_i,   // the answer: ok, wait, slot
  input  logic                      alloc_ok_i,
  input  logic                      alloc_wait_i,
  input  logic [7:0]                alloc_slot_i,
  input  logic [NUM_PROG_SLOTS-1:0] prog_used_i,
  input  logic [NUM_DATA_SLOTS-1:0] data_used_i,

  // Engine control (docs/RTL_INTERFACES.md).
  output logic                      eng_start_o,
  output logic [7:0]                eng_prog_slot_o,
  output logic [7:0]                eng_data_slot_o,
  output logic [31:0]               eng_prog_len_o,
  output logic [31:0]               eng_data_len_o,
  output logic [31:0]               eng_max_insns_o,
  output logic                      eng_abort_o,
  input  logic                      eng_busy_i,
  input  logic                      eng_done_i,
  input  logic [3:0]                eng_fault_cause_i,
  input  logic [31:0]               eng_fault_pc_i,
  input  logic [63:0]               eng_fault_addr_i,
  input  logic [63:0]               eng_r0_i,
  input  logic [63:0]               eng_insns_i,
  input  logic [63:0]               eng_cycles_i,

  output logic                      irq_o,

  // The queue dispatcher (rtl/queue) holds this engine: a Run waits in
  // decode until it lets go. busy_o tells the dispatcher to keep off.
  input  logic                      eng_claimed_i,
  output logic                      busy_o
);

  typedef enum logic [2:0] {
    StIdle,
    StDecode,
    StAlloc,
    StRunWait,
    StFinish
  } state_e;

  localparam logic [1:0] RegionReq  = 2'd0;
  localparam logic [1:0] RegionRes  = 2'd1;
  localparam logic [1:0] RegionCtrl = 2'd2;
  localparam logic [1:0] RegionStat = 2'd3;

  state_e      state_q, state_d;
  logic [31:0] req_q [8];
  logic [15:0] res_id_q;
  logic [7:0]  res_status_q, res_status_d;
  logic [63:0] res_data_q, res_data_d;
  logic        done_q, irq_en_q;
  logic        last_fault_q;

  // Request fields.
  logic [7:0]  opcode;
  logic [15:0] cmd_id;
  logic [7:0]  arg0, arg1;
  logic [31:0] prog_len, data_len, budget;

  assign opcode   = req_q[0][7:0];
  assign cmd_id   = req_q[0][31:16];
  assign arg0     = req_q[2][7:0];
  assign arg1     = req_q[2][15:8];
  assign prog_len = req_q[3];
  assign data_len = req_q[4];
  assign budget   = req_q[5];

  logic busy;
  assign busy = state_q != StIdle;
  assign busy_o = busy;

  // Register writes.
  logic wr_req, wr_ctrl0;
  assign wr_req   = reg_req_i && reg_we_i && reg_region_i == RegionReq && reg_word_i < 4'd8 && !busy;
  assign wr_ctrl0 = reg_req_i && reg_we_i && reg_region_i == RegionCtrl && reg_word_i == 4'd0;

  logic exec_wr, ack_wr, abort_wr;
  assign exec_wr  = wr_ctrl0 && reg_wstrb_i[0] && reg_wdata_i[0];
  assign ack_wr   = wr_ctrl0 && reg_wstrb_i[1] && !reg_wdata_i[8];
  assign abort_wr = wr_ctrl0 && reg_wstrb_i[2] && reg_wdata_i[16];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int i = 0; i < 8; i++) req_q[i] <= '0;
    end else if (wr_req) begin
      for (int b = 0; b < 4; b++) begin
        if (reg_wstrb_i[b]) req_q[reg_word_i[2:0]][8*b +: 8] <= reg_wdata_i[8*b +: 8];
      end
    end
  end

  // Run Program validation.
  logic prog_slot_ok, data_slot_ok, lengths_ok;
  assign prog_slot_ok = hermes_pkg::slot_used(256'(prog_used_i), arg0);
  assign data_slot_ok = hermes_pkg::slot_used(256'(data_used_i), arg1);
  assign lengths_ok   = prog_len != 0 && prog_len[2:0] == 3'b000 && prog_len <= PROG_SLOT_BYTES &&
                        data_len <= DATA_SLOT_BYTES;

  always_comb begin
    state_d         = state_q;
    res_status_d    = res_status_q;
    res_data_d      = res_data_q;
    alloc_req_o     = 1'b0;
    eng_start_o     = 1'b0;
    unique case (state_q)
      StIdle: if (exec_wr) state_d = StDecode;
      StDecode: begin
        res_data_d = '0;
        unique case (opcode)
          8'(hermes_pkg::CMD_REQ_SLOT), 8'(hermes_pkg::CMD_REL_SLOT): begin
            if (arg0 > 8'd1) begin
              // Unknown slot type: neither a program nor a data slot.
              res_status_d = 8'(hermes_pkg::ST_BAD_PROG_SLOT);
              state_d      = StFinish;
            end else begin
              state_d = StAlloc;
            end
          end
          8'(hermes_pkg::CMD_RUN): begin
            if (!prog_slot_ok) begin
              res_status_d = 8'(hermes_pkg::ST_BAD_PROG_SLOT);
              state_d      = StFinish;
            end else if (!data_slot_ok) begin
              res_status_d = 8'(hermes_pkg::ST_BAD_DATA_SLOT);
              state_d      = StFinish;
            end else if (!lengths_ok) begin
              res_status_d = 8'(hermes_pkg::ST_BAD_ADDR);
              state_d      = StFinish;
            end else if (!eng_claimed_i) begin
              eng_start_o = 1'b1;
              state_d     = StRunWait;
            end
          end
          default: begin
            res_status_d = 8'(hermes_pkg::ST_BAD_OPCODE);
            state_d      = StFinish;
          end
        endcase
      end
      StAlloc: begin
        // Held until the allocator answers (a clock after it takes it).
        alloc_req_o = 1'b1;
        if (alloc_ack_i) begin
          if (alloc_ok_i) begin
            res_status_d = 8'(hermes_pkg::ST_SUCCESS);
            res_data_d   = alloc_release_o ? 64'h0 : {56'h0, alloc_slot_i};
          end else if (alloc_release_o) begin
            res_status_d = arg0[0] ? 8'(hermes_pkg::ST_BAD_DATA_SLOT)
                                   : 8'(hermes_pkg::ST_BAD_PROG_SLOT);
          end else begin
            res_status_d = 8'(hermes_pkg::ST_NO_SLOT);
          end
          // A slot is being zeroed: ask again.
          state_d = alloc_wait_i ? StAlloc : StFinish;
        end
      end
      StRunWait: begin
        if (eng_done_i) begin
          if (eng_fault_cause_i == 4'd0) begin
            res_status_d = 8'(hermes_pkg::ST_SUCCESS);
            res_data_d   = eng_r0_i;
          end else begin
            res_status_d = 8'(hermes_pkg::ST_EBPF_ERROR);
            res_data_d   = {28'h0, eng_fault_cause_i, eng_fault_pc_i};
          end
          state_d = StFinish;
        end
      end
      StFinish: state_d = StIdle;
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= StIdle;
      res_id_q     <= '0;
      res_status_q <= '0;
      res_data_q   <= '0;
      done_q       <= 1'b0;
      irq_en_q     <= 1'b1;
      last_fault_q <= 1'b0;
    end else begin
      state_q      <= state_d;
      res_status_q <= res_status_d;
      res_data_q   <= res_data_d;
      if (state_q == StIdle && exec_wr) begin
        done_q   <= 1'b0;
        res_id_q <= cmd_id;
      end else if (state_q == StFinish) begin
        done_q       <= 1'b1;
        last_fault_q <= res_status_q == 8'(hermes_pkg::ST_EBPF_ERROR);
      end else if (ack_wr) begin
        done_q <= 1'b0;
      end
      if (wr_ctrl0 && reg_wstrb_i[3]) irq_en_q <= reg_wdata_i[24];
    end
  end

  assign alloc_release_o = opcode == 8'(hermes_pkg::CMD_REL_SLOT);
  assign alloc_type_o    = arg0[0];
  assign alloc_slot_o    = arg1;

  assign eng_prog_slot_o = arg0;
  assign eng_data_slot_o = arg1;
  assign eng_prog_len_o  = prog_len;
  assign eng_data_len_o  = data_len == 0 ? DATA_SLOT_BYTES : data_len;
  assign eng_max_insns_o = budget == 0 ? MAX_INSNS : budget;
  // ABORT also stops a program the queue dispatcher runs on this engine
  // (docs/HWQUEUE.md): a host that times a queued job out has no other way.
  assign eng_abort_o     = abort_wr && (state_q == StRunWait || eng_claimed_i);
  assign irq_o           = done_q && irq_en_q;

  // Register reads.
  logic [31:0] state_word;
  assign state_word = eng_busy_i   ? hermes_pkg::STATE_RUNNING :
                      last_fault_q ? hermes_pkg::STATE_FAULT : hermes_pkg::STATE_IDLE;

  always_comb begin
    reg_rdata_o = '0;
    reg_err_o   = 1'b0;
    unique case (reg_region_i)
      RegionReq: begin
        reg_err_o = reg_word_i >= 4'd8 || (reg_we_i && busy);
        if (reg_word_i < 4'd8) reg_rdata_o = req_q[reg_word_i[2:0]];
      end
      RegionRes: begin
        reg_err_o = reg_we_i || reg_word_i >= 4'd4;
        unique case (reg_word_i)
          4'd0: reg_rdata_o = {8'h00, res_status_q, res_id_q};
          4'd2: reg_rdata_o = res_data_q[31:0];
          4'd3: reg_rdata_o = res_data_q[63:32];
          default: reg_rdata_o = '0;
        endcase
      end
      RegionCtrl: begin
        reg_err_o = reg_word_i >= 4'd2;
        if (reg_word_i == 4'd0) reg_rdata_o = {7'h0, irq_en_q, 8'h00, 7'h0, done_q, 7'h0, busy};
      end
      RegionStat: begin
        reg_err_o = reg_we_i;
        unique case (reg_word_i)
          4'h0: reg_rdata_o = state_word;
          4'h2: reg_rdata_o = eng_insns_i[31:0];
          4'h3: reg_rdata_o = eng_insns_i[63:32];
          4'h4: reg_rdata_o = eng_cycles_i[31:0];
          4'h5: reg_rdata_o = eng_cycles_i[63:32];
          4'h6: reg_rdata_o = eng_fault_pc_i;
          4'h7: reg_rdata_o = {28'h0, eng_fault_cause_i};
          4'h8: reg_rdata_o = eng_fault_addr_i[31:0];
          4'h9: reg_rdata_o = eng_fault_addr_i[63:32];
          default: reg_rdata_o = '0;
        endcase
      end
      default: ;
    endcase
  end

  logic unused;
  assign unused = ^{reg_wstrb_i, eng_r0_i};

endmodule
