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
  logic         prime_q, first_q;
  logic [511:0] prev_q;          // previous beat, rotated
  logic [31:0]  dbits;
  logic [511:0] low_mask, merged;
  logic [63:0]  be_first, be_last;
  logic         flushing;

  // Masks and the merge as whole-word shifts rather than per-byte loops:
  // the simulator evaluates them every clock, busy or not.
  assign dbits    = 32'(delta_q) * 8;
  assign low_mask = ~({512{1'b1}} << dbits);   // bytes below delta
  assign be_first = {64{1'b1}} << do_q;        // bytes from do on
  assign be_last  = (end_q == 6'd0) ? '1 : ~({64{1'b1}} << end_q);

  assign flushing = nb_q == '0;
  // The beat rotated left by delta bytes has its top bytes below delta,
  // where the mask takes the previous beat's instead: a shift will do.
  assign merged   = (prev_q & low_mask) | (flushing ? '0 : in_data_i << dbits);

  assign done_o      = nb_q == '0 && nd_q == '0;
  assign in_ready_o  = prime_q || (nb_q != '0 && out_ready_i);
  assign out_valid_o = !prime_q && nd_q != '0 && (flushing || in_valid_i);
  assign out_data_o  = merged;
  assign out_first_o = first_q;
  assign out_last_o  = nd_q == 23'd1;
  assign out_be_o    = (first_q ? be_first : '1) & (out_last_o ? be_last : '1);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      delta_q <= '0;
      end_q   <= '0;
      do_q    <= '0;
      nb_q    <= '0;
      nd_q    <= '0;
      prime_q <= 1'b0;
      first_q <= 1'b0;
      prev_q  <= '0;
    end else if (start_i) begin
      delta_q <= do_i - so_i;
      end_q   <= 6'(32'(do_i) + 32'(len_i));
      do_q    <= do_i;
      first_q <= 1'b1;
      if (len_i == '0) begin
        nb_q    <= '0;
        nd_q    <= '0;
        prime_q <= 1'b0;
      end else begin
        nb_q    <= 23'((32'(so_i) + 32'(len_i) + 63) >> 6);
        nd_q    <= 23'((32'(do_i) + 32'(len_i) + 63) >> 6);
        prime_q <= do_i < so_i;
      end
    end else begin
      if (in_valid_i && in_ready_o) begin
        // Rotate left by delta bytes: byte i goes to (i + delta) mod 64.
        prev_q  <= (in_data_i << dbits) | (in_data_i >> (512 - dbits));
        nb_q    <= nb_q - 1'b1;
        prime_q <= 1'b0;
      end
      if (out_valid_o && out_ready_i) begin
        nd_q    <= nd_q - 1'b1;
        first_q <= 1'b0;
      end
    end
  end

endmodule
