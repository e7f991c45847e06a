// SPDX-License-Identifier: MIT
// Byte realignment between two 64-byte-beat streams.
//
// A job moves len bytes that start at byte so of the first source beat to
// byte do of the first destination line. Source beats enter in order; each
// is rotated by (do - so) mod 64 bytes, and a destination line is the merge
// of the previous rotated beat (bytes below the rotation) and the current
// one. When do < so the first beat only primes the merge; when the data
// ends in one more destination line than there are source beats left, that
// line is flushed from the last beat alone. Byte enables mark the bytes of
// [do, do + len) in each line.
module hermes_xdma_realign (
  input  logic         clk_i,
  input  logic         rst_ni,

  input  logic         start_i,   // load a job (only when done_o)
  input  logic [5:0]   so_i,
  input  logic [5:0]   do_i,
  input  logic [27:0]  len_i,
  input  logic [5:0]   end_i,     // (do + len) mod 64, from the caller's queue: no adder here
  output logic         done_o,    // no job, or all lines of the job out

  input  logic         in_valid_i,
  input  logic [511:0] in_data_i,
  output logic         in_ready_o,

  output logic         out_valid_o,
  output logic [511:0] out_data_o,
  output logic [63:0]  out_be_o,
  output logic         out_first_o, // first line of the job
  output logic         out_last_o,  // last line of the job
  input  logic         out_ready_i
);

  logic [5:0]   delta_q, end_q, do_q;
  logic [22:0]  nb_q, nd_q;
  // The counters' compares, kept as flags a clock ahead: they gate both
  // handshakes and the byte enables, too late as 23-bit compares.
  logic         nb_none_q, nd_none_q, nd_last_q;
  logic         one_line;        // a starting job fits in one destination line
  logic         prime_q, first_q;
  logic [511:0] prev_q;          // previous beat, rotated
  logic [31:0]  dbits;
  logic [511:0] low_mask, rot, merged;
  // The first and the last line's byte enables (bytes from do, bytes below
  // the end), decoded at the start: decoded from do_q and end_q at the
  // output they came behind the counters' compares.
  logic [63:0]  be_first_q, be_last_q;
  logic         flushing;

  // Rotate left by n bytes (byte i to (i + n) mod 64) in six stages of
  // fixed rotations, two to a LUT, rather than two shifters and an OR.
  function automatic logic [511:0] rotl_bytes(logic [511:0] x, logic [5:0] n);
    logic [511:0] y;
    y = x;
    for (int k = 0; k < 6; k++) begin
      if (n[k]) y = (y << (8 << k)) | (y >> (512 - (8 << k)));
    end
    rotl_bytes = y;
  endfunction

  // Bytes from lo up; bytes below hi, all of them for 0 (the line's end).
  function automatic logic [63:0] bytes_from(logic [5:0] lo);
    bytes_from = {64{1'b1}} << lo;
  endfunction
  function automatic logic [63:0] bytes_below(logic [5:0] hi);
    bytes_below = (hi == 6'd0) ? '1 : ~({64{1'b1}} << hi);
  endfunction

  // Masks and the merge as whole-word operations rather than per-byte loops:
  // the simulator evaluates them every clock, busy or not.
  assign dbits    = 32'(delta_q) * 8;
  assign low_mask = ~({512{1'b1}} << dbits);   // bytes below delta

  assign flushing = nb_none_q;
  assign one_line = len_i[27:7] == '0 && 8'(do_i) + 8'(len_i[6:0]) <= 8'd64;
  // The beat rotated left by delta bytes has its top bytes below delta,
  // where the mask takes the previous beat's instead.
  assign rot      = rotl_bytes(in_data_i, delta_q);
  assign merged   = (prev_q & low_mask) | (flushing ? '0 : rot & ~low_mask);

  assign done_o      = nb_none_q && nd_none_q;
  assign in_ready_o  = prime_q || (!nb_none_q && out_ready_i);
  assign out_valid_o = !prime_q && !nd_none_q && (flushing || in_valid_i);
  assign out_data_o  = merged;
  assign out_first_o = first_q;
  assign out_last_o  = nd_last_q;
  assign out_be_o    = (first_q ? be_first_q : '1) & (nd_last_q ? be_last_q : '1);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      delta_q    <= '0;
      end_q      <= '0;
      do_q       <= '0;
      nb_q       <= '0;
      nd_q       <= '0;
      nb_none_q  <= 1'b1;
      nd_none_q  <= 1'b1;
      nd_last_q  <= 1'b0;
      prime_q    <= 1'b0;
      first_q    <= 1'b0;
      be_first_q <= '1;
      be_last_q  <= '1;
      prev_q     <= '0;
    end else if (start_i) begin
      delta_q    <= do_i - so_i;
      end_q      <= end_i;
      do_q       <= do_i;
      first_q    <= 1'b1;
      be_first_q <= bytes_from(do_i);
      be_last_q  <= bytes_below(end_i);
      if (len_i == '0) begin
        nb_q       <= '0;
        nd_q       <= '0;
        prime_q    <= 1'b0;
      end else begin
        nb_q       <= 23'((32'(so_i) + 32'(len_i) + 63) >> 6);
        nd_q       <= 23'((32'(do_i) + 32'(len_i) + 63) >> 6);
        prime_q    <= do_i < so_i;
      end
      nb_none_q  <= len_i == '0;
      nd_none_q  <= len_i == '0;
      nd_last_q  <= len_i != '0 && one_line;
    end else begin
      if (in_valid_i && in_ready_o) begin
        prev_q     <= rot;
        nb_q       <= nb_q - 1'b1;
        nb_none_q  <= nb_q == 23'd1;
        prime_q    <= 1'b0;
      end
      if (out_valid_o && out_ready_i) begin
        nd_q       <= nd_q - 1'b1;
        nd_none_q  <= nd_last_q;
        nd_last_q  <= nd_q == 23'd2;
        first_q    <= 1'b0;
      end
    end
  end

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) assert (nb_none_q == (nb_q == '0) && nd_none_q == (nd_q == '0) &&
                        nd_last_q == (nd_q == 23'd1))
      else $error("hermes_xdma_realign: counter flags out of step with the counters");
    if (rst_ni && start_i) assert (end_i == 6'(32'(do_i) + 32'(len_i)))
      else $error("hermes_xdma_realign: end_i is not (do + len) mod 64");
    if (rst_ni) assert (be_first_q == bytes_from(do_q) && be_last_q == bytes_below(end_q))
      else $error("hermes_xdma_realign: byte enables out of step with do_q and end_q");
  end
`endif

endmodule
