import streamlit as st

st.write("pool")
