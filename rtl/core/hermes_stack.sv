// SPDX-License-Identifier: MIT
// Engine-local stack: 8 frames x 512 B = 512 words of 64 bits in two block
// RAM banks (even/odd word index) so that any access, aligned or not,
// reads or writes its (at most two) words in one clock.
//
// Zero at the start of every run without a clear loop: each word carries a
// tag (LUT RAM) holding the epoch (run number) that last wrote it; a word
// whose tag is not the current epoch reads as zero, and the first write to
// it in a run writes all 8 bytes (zero-filled). Tag 0 is never an epoch;
// the engine clears all tags to 0 (clear_i, 256 clocks, overlapped with the
// program copy) after reset and whenever the epoch counter wraps.
//
// One address port: each clock reads at addr_i (rdata_o the next clock,
// zero-extended to the size) and, with we_i, writes wdata_i there.
// addr_p8_i is addr_i + 8, added by the caller before its own select of
// the address, so that the even bank's address waits for no add here.
module hermes_stack #(
  parameter int unsigned TAG_W = 8
) (
  input  logic             clk_i,
  input  logic [11:0]      addr_i,
  input  logic [11:0]      addr_p8_i,
  input  logic [1:0]       size_i,
  input  logic             we_i,
  input  logic [63:0]      wdata_i,
  input  logic [TAG_W-1:0] epoch_i,
  input  logic             clear_i,
  input  logic [7:0]       clear_idx_i,
  output logic [63:0]      rdata_o
);

  logic [8:0]  w0;
  logic [2:0]  lane;
  logic [7:0]  e_addr, o_addr;
  assign w0   = addr_i[11:3];
  assign lane = addr_i[2:0];
  // Bank addresses of words w0 and w0+1 (one is even, the other odd): the
  // even one is (w0 + 1) / 2 either way, word w0 + 1's index halved.
  assign e_addr = clear_i ? clear_idx_i : addr_p8_i[11:4];
  assign o_addr = clear_i ? clear_idx_i : w0[8:1];

  function automatic logic [63:0] stk_size_mask(input logic [1:0] size);
    unique case (size)
      2'd0:    stk_size_mask = 64'h0000_0000_0000_00ff;
      2'd1:    stk_size_mask = 64'h0000_0000_0000_ffff;
      2'd2:    stk_size_mask = 64'h0000_0000_ffff_ffff;
      default: stk_size_mask = 64'hffff_ffff_ffff_ffff;
    endcase
  endfunction

  // ---- tags ----
  logic [TAG_W-1:0] e_tag, o_tag, tag_wdata;
  logic             e_valid, o_valid, e_tag_we, o_tag_we;
  assign e_valid   = (e_tag == epoch_i);
  assign o_valid   = (o_tag == epoch_i);
  assign tag_wdata = clear_i ? '0 : epoch_i;

  hermes_lutram #(.WIDTH(TAG_W), .DEPTH(256)) u_tag_even (
    .clk_i, .we_i(e_tag_we), .waddr_i(e_addr), .wdata_i(tag_wdata), .raddr_i(e_addr), .rdata_o(e_tag)
  );
  hermes_lutram #(.WIDTH(TAG_W), .DEPTH(256)) u_tag_odd (
    .clk_i, .we_i(o_tag_we), .waddr_i(o_addr), .wdata_i(tag_wdata), .raddr_i(o_addr), .rdata_o(o_tag)
  );

  // ---- write ----
  // The value rotated left by the byte lane serves both words: the low
  // word (w0) takes its bytes from lane up, the high word (w0+1) the
  // bytes that wrapped round.
  logic [15:0] bmask_base, bmask;
  logic [63:0] wdata_rot;
  logic [7:0]  e_mask, o_mask, e_we, o_we;
  logic [63:0] e_wdata, o_wdata;

  always_comb begin
    unique case (size_i)
      2'd0:    bmask_base = 16'h0001;
      2'd1:    bmask_base = 16'h0003;
      2'd2:    bmask_base = 16'h000f;
      default: bmask_base = 16'h00ff;
    endcase
  end
  assign bmask     = bmask_base << lane;
  // (bytes beyond the size need no masking: they are either not enabled
  // or, for a word written whole, zeroed by its mask below)
  assign wdata_rot = 64'({wdata_i, wdata_i} >> {3'd0 - lane, 3'b0});

  assign e_mask = w0[0] ? bmask[15:8] : bmask[7:0];
  assign o_mask = w0[0] ? bmask[7:0] : bmask[15:8];

  function automatic logic [63:0] stk_expand(input logic [7:0] m);
    for (int i = 0; i < 8; i++) stk_expand[i*8 +: 8] = {8{m[i]}};
  endfunction

  // A word not yet written in this run is written whole, its other bytes
  // 0. The data is the same either way (bytes outside the mask are 0 and
  // written only then), so only the enables wait for the tag.
  assign e_we     = (!we_i || clear_i || e_mask == 8'b0) ? 8'b0 : (e_valid ? e_mask : 8'hff);
  assign o_we     = (!we_i || clear_i || o_mask == 8'b0) ? 8'b0 : (o_valid ? o_mask : 8'hff);
  assign e_wdata  = wdata_rot & stk_expand(e_mask);
  assign o_wdata  = wdata_rot & stk_expand(o_mask);
  assign e_tag_we = clear_i || (e_we != 8'b0);
  assign o_tag_we = clear_i || (o_we != 8'b0);

  logic [63:0] e_rdata, o_rdata;

  hermes_ram_sdp #(.WIDTH(64), .DEPTH(256)) u_even (
    .clk_i, .we_i(e_we), .waddr_i(e_addr), .wdata_i(e_wdata),
    .re_i(1'b1), .raddr_i(e_addr), .rdata_o(e_rdata)
  );
  hermes_ram_sdp #(.WIDTH(64), .DEPTH(256)) u_odd (
    .clk_i, .we_i(o_we), .waddr_i(o_addr), .wdata_i(o_wdata),
    .re_i(1'b1), .raddr_i(o_addr), .rdata_o(o_rdata)
  );

  // ---- read (one clock after the address) ----
  logic       odd_q, e_valid_q, o_valid_q;
  logic [2:0] lane_q;
  logic [1:0] size_q;

  always_ff @(posedge clk_i) begin
    odd_q     <= w0[0];
    lane_q    <= lane;
    size_q    <= size_i;
    e_valid_q <= e_valid;
    o_valid_q <= o_valid;
  end

  // The 16 bytes of words w0 and w0+1 in address order (a word not
  // written in this run reads as zero); byte j of the value is byte
  // lane+j of them: per bit one 2:1 select by the bank, then one 8:1
  // select by the lane (no rotation after a merge: 4 LUTs from the block
  // RAM on the engine's netlist, not 6, on the load's and a stack
  // atomic's path).
  logic [63:0]  e_word, o_word, rd_rot;
  logic [127:0] window;
  assign e_word  = e_valid_q ? e_rdata : 64'b0;
  assign o_word  = o_valid_q ? o_rdata : 64'b0;
  assign window  = odd_q ? {e_word, o_word} : {o_word, e_word};
  assign rd_rot  = window[{1'b0, lane_q, 3'b0} +: 64];
  assign rdata_o = rd_rot & stk_size_mask(size_q);

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    assert (clear_i || addr_p8_i == addr_i + 12'd8)
      else $error("hermes_stack: addr_p8_i is not addr_i + 8");
  end
`endif

  logic unused_p8;
  assign unused_p8 = ^addr_p8_i[3:0];

endmodule
