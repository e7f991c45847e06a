// SPDX-License-Identifier: MIT
// Iterative eBPF div/mod/sdiv/smod, 32 and 64 bit: restoring division of
// the magnitudes, radix 4 (two quotient bits per clock, as two chained
// restoring steps: two carry chains and their muxes between registers),
// then sign fix-up.
//   start_i  (while idle) latch the operands; 64-bit ops take 32 clocks,
//            32-bit ops 16, division by zero 1; then done_o stays high
//   clear_i  back to idle (result consumed, or the instruction was killed)
// RFC 9669 corner cases: x / 0 = 0, x % 0 = x (ALU: low 32 bits), signed
// INT_MIN / -1 = INT_MIN and INT_MIN % -1 = 0 fall out of the magnitudes.
module hermes_divider (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,
  input  logic        clear_i,
  input  logic        is64_i,
  input  logic        signed_i,
  input  logic        mod_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic        idle_o,
  output logic        done_o,
  output logic [63:0] result_o
);

  localparam logic [1:0] S_IDLE = 2'd0;
  localparam logic [1:0] S_RUN  = 2'd1;
  localparam logic [1:0] S_DONE = 2'd2;

  logic [1:0]  state_q;
  logic [63:0] rem_q, quo_q, dvs_q;
  logic [6:0]  cnt_q;
  logic        neg_q_q, neg_r_q, is64_q, mod_q;

  // Operands extended to 64 bits in the operation's signedness.
  logic [63:0] ea, eb, ua, ub;
  logic        sa, sb, bzero;
  assign sa    = signed_i && (is64_i ? a_i[63] : a_i[31]);
  assign sb    = signed_i && (is64_i ? b_i[63] : b_i[31]);
  assign ea    = is64_i ? a_i : {{32{sa}}, a_i[31:0]};
  assign eb    = is64_i ? b_i : {{32{sb}}, b_i[31:0]};
  assign ua    = sa ? 64'd0 - ea : ea;
  assign ub    = sb ? 64'd0 - eb : eb;
  assign bzero = is64_i ? (b_i == 64'd0) : (b_i[31:0] == 32'd0);

  // Two restoring steps: the first on the remainder shifted by the
  // dividend's next bit, the second on its result shifted by the one after.
  logic [64:0] rem_sh1, diff1, rem_sh2, diff2;
  logic [63:0] rem_mid;
  assign rem_sh1 = {rem_q, quo_q[63]};
  assign diff1   = rem_sh1 - {1'b0, dvs_q};
  assign rem_mid = diff1[64] ? rem_sh1[63:0] : diff1[63:0];
  assign rem_sh2 = {rem_mid, quo_q[62]};
  assign diff2   = rem_sh2 - {1'b0, dvs_q};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_IDLE;
      rem_q   <= '0;
      quo_q   <= '0;
      dvs_q   <= '0;
      cnt_q   <= '0;
      neg_q_q <= 1'b0;
      neg_r_q <= 1'b0;
      is64_q  <= 1'b0;
      mod_q   <= 1'b0;
    end else if (clear_i) begin
      state_q <= S_IDLE;
    end else begin
      unique case (state_q)
        S_IDLE: if (start_i) begin
          is64_q <= is64_i;
          mod_q  <= mod_i;
          dvs_q  <= ub;
          rem_q  <= '0;
          if (bzero) begin
            // Quotient 0, remainder the raw dividend (ALU: low 32 bits).
            quo_q   <= '0;
            rem_q   <= is64_i ? a_i : {32'b0, a_i[31:0]};
            neg_q_q <= 1'b0;
            neg_r_q <= 1'b0;
            state_q <= S_DONE;
          end else begin
            // Left-align the dividend: its bits enter the remainder MSB first.
            quo_q   <= is64_i ? ua : {ua[31:0], 32'b0};
            neg_q_q <= sa ^ sb;
            neg_r_q <= sa;
            cnt_q   <= is64_i ? 7'd32 : 7'd16;
            state_q <= S_RUN;
          end
        end
        S_RUN: begin
          rem_q <= diff2[64] ? rem_sh2[63:0] : diff2[63:0];
          quo_q <= {quo_q[61:0], !diff1[64], !diff2[64]};
          cnt_q <= cnt_q - 7'd1;
          if (cnt_q == 7'd1) state_q <= S_DONE;
        end
        default: ;
      endcase
    end
  end

  // One negation for the selected result: the quotient's sign is sa ^ sb,
  // the remainder's the dividend's.
  logic [63:0] mag, res;
  logic        neg;
  assign mag = mod_q ? rem_q : quo_q;
  assign neg = mod_q ? neg_r_q : neg_q_q;
  assign res = neg ? 64'd0 - mag : mag;

  assign result_o = is64_q ? res : {32'b0, res[31:0]};
  assign idle_o   = (state_q == S_IDLE);
  assign done_o   = (state_q == S_DONE);

endmodule
