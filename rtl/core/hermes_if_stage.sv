// SPDX-License-Identifier: MIT
// Fetch stage of hermes_engine: picks the next pc, reads slots pc and pc+1
// from the instruction memory (lddw in one go) and the slot's prediction
// counter, and holds the IF/ID register.
//
// The next pc is, in priority order: a redirect decided in EX a clock ago
// (redir_i), nothing after a stop, the successor ID chose for the
// instruction it passes to EX (id_next_i: sequential or predicted), or
// a pc that had to wait (nf_*) for the copy or the start. A fetch reads
// slots pc and pc+1, so both must have arrived from the copy; that is
// checked for every candidate beside the choice and selected with it, so
// that ID's late decisions meet a select, not a compare. ID's candidates
// are checked from this stage's registers and the slot's raw fields
// (pc + 1 and pc + 2; the target as its offset against bounds from the
// pc), not from ID's adds. The fetch
// decision never waits for an EX result: the redirect and the stop come
// from registers.
module hermes_if_stage #(
  parameter int unsigned IMEM_WORDS = 512
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,      // a run starts: fetch from slot 0

  // The code copy fills the instruction memory and sets every counter.
  input  logic        copy_busy_i,
  input  logic        copy_we_i,
  input  logic [31:0] copy_recv_i,  // slots arrived so far (the next written)
  input  logic [63:0] copy_wdata_i,
  input  logic        exec_ok_i,

  // Pipeline control.
  input  logic        stop_i,
  input  logic        redir_i,
  input  logic [31:0] redir_pc_i,
  input  logic        id_to_ex_i,
  input  hermes_core_pkg::id_next_t id_next_i,

  // A conditional jump that fired moves its counter.
  input  logic        bp_upd_i,
  input  logic [31:0] bp_upd_pc_i,
  input  logic [1:0]  bp_upd_ctr_i,
  input  logic        bp_upd_taken_i,

  // The IF/ID register.
  output logic        id_valid_o,
  output logic [31:0] id_pc_o,
  output logic [63:0] id_insn_o,
  output logic [63:0] id_insn2_o,
  output logic [1:0]  id_ctr_o
);

  localparam int unsigned IMEM_AW = (IMEM_WORDS > 2) ? $clog2(IMEM_WORDS) : 2;

  logic        fetch_en;
  logic [31:0] fetch_pc;
  logic        id_valid_q, id_valid_d, nf_valid_q, nf_valid_d;
  logic [31:0] id_pc_q, id_pc_d, nf_pc_q, nf_pc_d;
  logic        cand_valid, fetch_avail;
  logic [31:0] cand_pc;

  // Slots pc and pc+1 have arrived: pc < copy_recv - 1. The bound is kept
  // in registers of this stage, moved by the copy's writes as the run
  // control moves copy_recv, so no subtraction lies before the compares.
  logic [31:0] recv_last;
  logic        recv_any;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      recv_last <= '1;
      recv_any  <= 1'b0;
    end else if (start_i) begin
      recv_last <= '1;
      recv_any  <= 1'b0;
    end else if (copy_we_i) begin
      recv_last <= copy_recv_i;
      recv_any  <= 1'b1;
    end
  end
  function automatic logic arrived(input logic [31:0] pc, input logic [31:0] last, input logic any);
    arrived = any && (pc < last);
  endfunction

  // The target pc + 1 + t has arrived when 0 <= pc + 1 + t < recv_last:
  // t >= -(pc + 1) = ~pc and t < recv_last + ~pc (34-bit signed, exact),
  // for both offsets a slot may hold (off, imm), chosen by ID.
  logic signed [33:0] tgt_lo, tgt_hi, tgt_off, tgt_imm;
  logic               seq1_arrived, seq2_arrived, off_arrived, imm_arrived;
  assign tgt_lo       = ~{2'b0, id_pc_q};
  assign tgt_hi       = {2'b0, recv_last} + tgt_lo;
  assign tgt_off      = {{18{id_insn_o[31]}}, id_insn_o[31:16]};
  assign tgt_imm      = {{2{id_insn_o[63]}}, id_insn_o[63:32]};
  assign off_arrived  = recv_any && tgt_off >= tgt_lo && tgt_off < tgt_hi;
  assign imm_arrived  = recv_any && tgt_imm >= tgt_lo && tgt_imm < tgt_hi;
  assign seq1_arrived = arrived(id_pc_q + 32'd1, recv_last, recv_any);
  assign seq2_arrived = arrived(id_pc_q + 32'd2, recv_last, recv_any);

  logic [31:0] id_next_pc;
  logic        id_next_arrived;
  assign id_next_pc      = !id_next_i.predict ? id_next_i.seq_pc :
                           id_next_i.to_ret ? id_next_i.ret_pc : id_next_i.target_pc;
  assign id_next_arrived = !id_next_i.predict ? (id_next_i.lddw ? seq2_arrived : seq1_arrived) :
                           id_next_i.to_ret ? arrived(id_next_i.ret_pc, recv_last, recv_any) :
                           id_next_i.imm_target ? imm_arrived : off_arrived;

  // The fetch is chosen for each of ID's two outcomes beside each other,
  // and id_to_ex, the latest signal here (it waits for EX's stall),
  // picks between them last. ID passes an instruction on only without a
  // redirect or a stop (asserted), so its side needs neither.
  logic        hold_valid, hold_arrived, hold_avail, id_next_avail;
  logic [31:0] hold_pc;
  // (!stop_i repeats the stop taken first below; without it ABC maps the
  // fetch a level deeper, measured)
  assign hold_valid    = redir_i || (!stop_i && nf_valid_q);
  assign hold_pc       = redir_i ? redir_pc_i : nf_pc_q;
  assign hold_arrived  = redir_i ? arrived(redir_pc_i, recv_last, recv_any) :
                                   arrived(nf_pc_q, recv_last, recv_any);
  assign hold_avail    = exec_ok_i && (!copy_busy_i || hold_arrived);
  assign id_next_avail = exec_ok_i && (!copy_busy_i || id_next_arrived);

  assign cand_valid  = id_to_ex_i || hold_valid;
  assign cand_pc     = id_to_ex_i ? id_next_pc : hold_pc;
  assign fetch_avail = id_to_ex_i ? id_next_avail : hold_avail;

  always_comb begin
    fetch_en   = 1'b0;
    fetch_pc   = cand_pc;
    id_valid_d = id_valid_q;
    id_pc_d    = id_pc_q;
    nf_valid_d = nf_valid_q;
    nf_pc_d    = nf_pc_q;
    if (stop_i) begin
      id_valid_d = 1'b0;
      nf_valid_d = 1'b0;
    end else if (cand_valid) begin
      if (fetch_avail) begin
        fetch_en   = 1'b1;
        id_valid_d = 1'b1;
        id_pc_d    = cand_pc;
        nf_valid_d = 1'b0;
      end else begin
        id_valid_d = 1'b0;
        nf_valid_d = 1'b1;
        nf_pc_d    = cand_pc;
      end
    end
  end

  hermes_imem #(.WORDS(IMEM_WORDS)) u_imem (
    .clk_i,
    .we_i    (copy_we_i),
    .waddr_i (copy_recv_i[IMEM_AW-1:0]),
    .wdata_i (copy_wdata_i),
    .re_i    (fetch_en),
    .raddr_i (fetch_pc[IMEM_AW-1:0]),
    .insn_o  (id_insn_o),
    .insn2_o (id_insn2_o)
  );

  // A 2-bit counter per slot, read with the slot; the copy initialises
  // them to the static backward-taken rule.
  hermes_bpred #(.WORDS(IMEM_WORDS)) u_bpred (
    .clk_i,
    .init_i      (copy_we_i),
    .init_addr_i (copy_recv_i[IMEM_AW-1:0]),
    .init_insn_i (copy_wdata_i),
    .upd_i       (bp_upd_i),
    .upd_addr_i  (bp_upd_pc_i[IMEM_AW-1:0]),
    .upd_ctr_i   (bp_upd_ctr_i),
    .upd_taken_i (bp_upd_taken_i),
    .re_i        (fetch_en),
    .raddr_i     (fetch_pc[IMEM_AW-1:0]),
    .ctr_o       (id_ctr_o)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      id_valid_q <= 1'b0;
      id_pc_q    <= '0;
      nf_valid_q <= 1'b0;
      nf_pc_q    <= '0;
    end else if (start_i) begin
      id_valid_q <= 1'b0;
      nf_valid_q <= 1'b1;
      nf_pc_q    <= '0;
    end else begin
      id_valid_q <= id_valid_d;
      id_pc_q    <= id_pc_d;
      nf_valid_q <= nf_valid_d;
      nf_pc_q    <= nf_pc_d;
    end
  end

  assign id_valid_o = id_valid_q;
  assign id_pc_o    = id_pc_q;

`ifndef SYNTHESIS
  // Each candidate's arrival, checked from registers and raw fields, is
  // the check of the pc ID computed (a target of 2**32 or more, which
  // the 32-bit pc cannot name and EX faults, counts as not arrived).
  logic [33:0] chk_target;
  assign chk_target = {2'b0, id_pc_q} + (id_next_i.imm_target ? tgt_imm : tgt_off) + 34'd1;
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (recv_last == copy_recv_i - 32'd1 && recv_any == (copy_recv_i != 32'd0))
        else $error("hermes_if_stage: the arrival bound disagrees with copy_recv");
      assert (!(id_to_ex_i && (redir_i || stop_i)))
        else $error("hermes_if_stage: ID passed an instruction on beside a redirect or a stop");
    end
    if (rst_ni && id_valid_q) begin
      assert (id_next_arrived == (id_next_i.predict && !id_next_i.to_ret && chk_target[33:32] != 2'b0 ?
                                  1'b0 : arrived(id_next_pc, recv_last, recv_any)))
        else $error("hermes_if_stage: a candidate's arrival disagrees with its pc's");
      assert (!id_next_i.predict || id_next_i.to_ret || id_next_i.target_pc == chk_target[31:0])
        else $error("hermes_if_stage: the target checked is not ID's");
    end
  end
`endif

  logic unused_if;
  assign unused_if = ^{fetch_pc[31:IMEM_AW], copy_recv_i[31:IMEM_AW], bp_upd_pc_i[31:IMEM_AW]};

endmodule
