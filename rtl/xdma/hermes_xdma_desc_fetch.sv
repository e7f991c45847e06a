// SPDX-License-Identifier: MIT
// Descriptor fetcher of one XDMA channel.
//
// Reads 32-byte descriptors from host memory, one AXI read of one 64-byte
// beat per descriptor, several outstanding while the addresses are known:
// a block of (1 + adjacent) descriptors is contiguous, and the next block
// starts at the next address of the block's last descriptor, with that
// descriptor's nxt_adj. Checked descriptors go to a FIFO for the data mover.
// A bad magic or an error response stops fetching (sticky flags, cleared
// by start_i); a descriptor with the stop bit is the last one passed on.
// Responses that arrive after fetching stopped are drained and dropped, so
// done_o (nothing outstanding, nothing more will come) always follows.
// Each descriptor's card range is checked here, on the way into the FIFO,
// so that the mover finds the answer in a flag rather than in an adder; so
// is where the data ends in its last destination line (the realigner's last
// byte enables).
module hermes_xdma_desc_fetch #(
  parameter int unsigned DEPTH      = 4,  // descriptor FIFO entries
  parameter int unsigned CARD_BYTES = 32'h0110_0000,
  parameter bit          CARD_SRC   = 1'b0  // the card address: 1 src (C2H), 0 dst (H2C)
) (
  input  logic         clk_i,
  input  logic         rst_ni,

  input  logic         start_i,     // begin a chain (flushes the FIFO)
  input  logic [63:0]  addr_i,      // first descriptor address
  input  logic [5:0]   adj_i,       // adjacent descriptors after the first
  input  logic         halt_i,      // stop issuing; drop what comes back

  // AXI read requests (one 64-byte beat each) and their responses.
  output logic         ar_valid_o,
  output logic [63:0]  ar_addr_o,
  input  logic         ar_ready_i,
  input  logic         r_valid_i,
  input  logic [511:0] r_data_i,
  input  logic [1:0]   r_resp_i,
  output logic         r_ready_o,

  // Descriptors: {control[7:0], len[27:0], src[63:0], dst[63:0]}.
  output logic         d_valid_o,
  output logic [7:0]   d_ctrl_o,
  output logic [27:0]  d_len_o,
  output logic [63:0]  d_src_o,
  output logic [63:0]  d_dst_o,
  output logic         d_bad_o,     // card range [addr, addr + len) beyond CARD_BYTES
  output logic [5:0]   d_dend_o,    // (dst + len) mod 64: where the data ends in its last line
  input  logic         d_pop_i,
  output logic         d_empty_o,

  output logic         done_o,       // not fetching and nothing outstanding
  output logic         magic_err_o,  // a bad magic stopped the chain
  output logic [1:0]   resp_err_o    // {slave error, decode error} on a fetch
);

  localparam int unsigned DescW = 1 + 6 + 8 + 28 + 64 + 64;
  localparam int unsigned CntW  = $clog2(DEPTH + 1);

  logic          active_q;
  logic [63:0]   next_q;
  logic [6:0]    rem_q;      // descriptors left in the current block
  logic [CntW-1:0] out_q;    // outstanding reads
  logic [DEPTH-1:0] half_q;  // address bit 5 of outstanding reads, in order
  logic          magic_err_q;
  logic [1:0]    resp_err_q;

  logic [CntW-1:0] fifo_cnt;
  logic          fifo_push, fifo_full;
  logic [DescW-1:0] fifo_wdata, fifo_rdata;

  logic ar_hs, r_hs;
  logic [255:0] d;
  logic         magic_ok;
  logic [7:0]   ctrl;
  logic [5:0]   nxt_adj;
  logic         last_of_block;
  logic [63:0]  card_addr;
  logic         card_bad;

  // Issue while active, the block has descriptors left, and the FIFO has
  // room for every outstanding descriptor plus this one.
  assign ar_valid_o = active_q && !halt_i && (rem_q != '0) &&
                      (32'(out_q) + 32'(fifo_cnt) < DEPTH);
  assign ar_addr_o  = {next_q[63:6], 6'b0};
  assign ar_hs      = ar_valid_o && ar_ready_i;
  assign r_ready_o  = 1'b1;
  assign r_hs       = r_valid_i;

  assign d       = half_q[0] ? r_data_i[511:256] : r_data_i[255:0];
  assign ctrl    = d[7:0];
  assign nxt_adj = d[13:8];
  // Both halves' magic compared before the choice of half, not after: the
  // push (and the FIFO count) waits on it.
  assign magic_ok = half_q[0] ? r_data_i[256 + 16 +: 16] == hermes_xdma_pkg::DESC_MAGIC
                              : r_data_i[16 +: 16] == hermes_xdma_pkg::DESC_MAGIC;
  assign last_of_block = (rem_q == '0) && (out_q == CntW'(1));

  assign fifo_push  = r_hs && active_q && !halt_i && r_resp_i == 2'b00 && magic_ok;
  assign card_addr  = CARD_SRC ? d[64 +: 64] : d[128 +: 64];
  assign card_bad   = {1'b0, card_addr} + 65'(d[32 +: 28]) > 65'(CARD_BYTES);
  assign fifo_wdata = {card_bad, 6'(d[128 +: 6] + d[32 +: 6]), ctrl,
                       d[32 +: 28], d[64 +: 64], d[128 +: 64]};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q    <= 1'b0;
      next_q      <= '0;
      rem_q       <= '0;
      out_q       <= '0;
      half_q      <= '0;
      magic_err_q <= 1'b0;
      resp_err_q  <= '0;
    end else begin
      logic [CntW-1:0] out_d;
      logic [DEPTH-1:0] half_d;
      out_d  = out_q;
      half_d = half_q;
      if (r_hs) begin
        out_d  = out_d - 1'b1;
        half_d = half_d >> 1;
      end
      if (ar_hs) begin
        half_d[out_d[$clog2(DEPTH)-1:0]] = next_q[5];
        out_d  = out_d + 1'b1;
        next_q <= next_q + 64'd32;
        rem_q  <= rem_q - 1'b1;
      end
      out_q  <= out_d;
      half_q <= half_d;

      if (halt_i) active_q <= 1'b0;

      if (r_hs && active_q && !halt_i) begin
        if (r_resp_i != 2'b00) begin
          active_q <= 1'b0;
          resp_err_q <= resp_err_q | ((r_resp_i == 2'b11) ? 2'b01 : 2'b10);
        end else if (!magic_ok) begin
          active_q <= 1'b0;
          magic_err_q <= 1'b1;
        end else if (ctrl[hermes_xdma_pkg::DESC_STOP]) begin
          active_q <= 1'b0;
        end
      end
      // The next block, from the block's last descriptor whatever its checks
      // say, so that the load does not wait on them: when one fails (or
      // fetching has stopped) active_q is or goes low, and next_q and rem_q
      // go unused until start_i sets them again.
      if (r_hs && last_of_block) begin
        next_q <= {d[224 +: 32], d[192 +: 32]};
        rem_q  <= {1'b0, nxt_adj} + 7'd1;
      end

      if (start_i) begin
        active_q    <= 1'b1;
        next_q      <= addr_i;
        rem_q       <= {1'b0, adj_i} + 7'd1;
        magic_err_q <= 1'b0;
        resp_err_q  <= '0;
      end
    end
  end

  hermes_xdma_fifo #(.WIDTH(DescW), .DEPTH(DEPTH)) u_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (start_i),
    .push_i  (fifo_push),
    .wdata_i (fifo_wdata),
    .pop_i   (d_pop_i),
    .rdata_o (fifo_rdata),
    .empty_o (d_empty_o),
    .full_o  (fifo_full),
    .count_o (fifo_cnt)
  );

  assign d_valid_o = !d_empty_o;
  assign {d_bad_o, d_dend_o, d_ctrl_o, d_len_o, d_src_o, d_dst_o} = fifo_rdata;
  assign done_o      = !active_q && out_q == '0;

  logic unused;
  assign unused = ^{d[63:60], d[31:14], fifo_full};
  assign magic_err_o = magic_err_q;
  assign resp_err_o  = resp_err_q;

endmodule
