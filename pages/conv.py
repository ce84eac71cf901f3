import streamlit as st

st.write("conv")
